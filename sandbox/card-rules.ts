/**
 * Lark's rules for message cards in JSON 2.0, as the sandbox enforces them on every card sent,
 * replied with, updated to, and answered to a card callback. Each rule names the page of Lark's
 * documentation it comes from (open.feishu.cn; the same pages exist on open.larksuite.com). Where
 * a page is unclear or two pages disagree, the stricter reading is taken and the rule says so:
 * a card the sandbox accepts must be one that Lark accepts.
 *
 * Lark answers a refused card with HTTP 400, code 230099 and a sub-code in `msg`
 * (`Failed to create card content, ext=ErrCode: …; ErrPath: …; ErrMsg: …; ErrorValue: …`).
 */

const DOCS = 'https://open.feishu.cn/document/feishu-cards';
const COMPONENTS = `${DOCS}/card-json-v2-components`;
/** The pages the rules come from. */
const CARD_DOCS = {
  structure: `${DOCS}/card-json-v2-structure`,
  breakingChanges: `${DOCS}/card-json-v2-breaking-changes-release-notes`,
  colours: `${DOCS}/enumerations-for-fields-related-to-color`,
  callback: `${DOCS}/card-callback-communication`,
  sendErrors: 'https://open.feishu.cn/document/server-docs/im-v1/message/create',
  title: `${COMPONENTS}/content-components/title`,
  markdown: `${COMPONENTS}/content-components/rich-text`,
  plainText: `${COMPONENTS}/content-components/plain-text`,
  divider: `${COMPONENTS}/content-components/divider`,
  image: `${COMPONENTS}/content-components/image`,
  person: `${COMPONENTS}/content-components/user-profile`,
  personList: `${COMPONENTS}/content-components/user-list`,
  table: `${COMPONENTS}/content-components/table`,
  chart: `${COMPONENTS}/content-components/chart`,
  columnSet: `${COMPONENTS}/containers/column-set`,
  form: `${COMPONENTS}/containers/form-container`,
  interactiveContainer: `${COMPONENTS}/containers/interactive-container`,
  collapsiblePanel: `${COMPONENTS}/containers/collapsible-panel`,
  button: `${COMPONENTS}/interactive-components/button`,
  input: `${COMPONENTS}/interactive-components/input`,
  select: `${COMPONENTS}/interactive-components/single-select-dropdown-menu`,
  multiSelect: `${COMPONENTS}/interactive-components/multi-select-dropdown-menu`,
  personPicker: `${COMPONENTS}/interactive-components/single-select-user-picker`,
  multiPersonPicker: `${COMPONENTS}/interactive-components/multi-select-user-picker`,
  datePicker: `${COMPONENTS}/interactive-components/date-picker`,
  timePicker: `${COMPONENTS}/interactive-components/time-selector`,
  dateTimePicker: `${COMPONENTS}/interactive-components/date-time-picker`,
  checker: `${COMPONENTS}/interactive-components/checker`,
  overflow: `${COMPONENTS}/interactive-components/overflow`,
} as const;

/** The sub-codes Lark puts in a 230099 answer (send-message error table). */
export const CardErrorCode = {
  /** Invalid card JSON: an unknown property, a wrong type or value, a misplaced component. */
  invalidJson: 200621,
  /** A component of JSON 1.0 that 2.0 removed (`note`, `action`). */
  removedInV2: 200861,
  /** Over a limit: more than 200 elements, more than five tables, a duplicate form name. */
  overLimit: 11310,
  /** An @-mention or person id that is not a user of the tenant. */
  invalidUser: 100290,
  /** A chart spec VChart cannot draw. */
  invalidChart: 200550,
  /** A table cell that is not of its column's type. */
  invalidTableRows: 200914,
  /** A table row with a key no column declares. */
  invalidTableRowName: 200915,
} as const;

/** Codes of a refused callback answer, shown to the user by the client (card-callback-communication). */
export const CallbackErrorCode = {
  /** The answer's body is not what Lark reads (a toast or card of the wrong shape). */
  badResponse: 200672,
  /** The answer's card cannot be built. */
  badCard: 200673,
  /** A JSON 2.0 card answered with a JSON 1.0 card. */
  downgradedCard: 200830,
} as const;

/** A refused card: the sub-code, where, what and the offending value, as Lark reports them. */
export class CardRefusal extends Error {
  constructor(
    readonly subCode: number,
    readonly path: string,
    readonly reason: string,
    readonly value: string,
  ) {
    super(`Failed to create card content, ext=ErrCode: ${subCode}; ErrPath: ${path}; ErrMsg: ${reason}; ErrorValue: ${value}; `);
  }
}

/** What a card's content may refer to. */
export interface CardContext {
  /** Whether an open_id (or user_id) belongs to a user of the tenant. */
  isUser(id: string): boolean;
}

export const MAX_CARD_ELEMENTS = 200;
/** "卡片及富文本消息最大不能超过 30 KB" (send-message errors, 230025); the same for an answered card. */
export const MAX_CARD_BYTES = 30 * 1024;
const MAX_TABLES = 5;
/** "容器类组件最多支持嵌套五层组件": phrased as advice; stricter reading, more is refused. */
const MAX_NESTING = 5;

// --- value checks: each returns why a value is wrong, or undefined -----------------------------

type Check = (value: unknown) => string | undefined;

const isRecord = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);
const str: Check = (v) => (typeof v === 'string' ? undefined : 'must be a string');
const bool: Check = (v) => (typeof v === 'boolean' ? undefined : 'must be a boolean');
const object: Check = (v) => (isRecord(v) ? undefined : 'must be an object');
const list: Check = (v) => (Array.isArray(v) ? undefined : 'must be an array');
const oneOf =
  (...values: readonly string[]): Check =>
  (v) =>
    typeof v === 'string' && values.includes(v) ? undefined : `must be one of ${values.join('|')}`;
const int =
  (min: number, max: number): Check =>
  (v) =>
    Number.isInteger(v) && (v as number) >= min && (v as number) <= max ? undefined : `must be an integer from ${min} to ${max}`;
const pixels = (min: number, max: number, v: unknown) => {
  const px = typeof v === 'string' ? /^(-?\d+)px$/.exec(v)?.[1] : undefined;
  return px !== undefined && Number(px) >= min && Number(px) <= max;
};
/** An enum, or a pixel size such as `120px` within a range. */
const enumOrPx =
  (min: number, max: number, ...values: string[]): Check =>
  (v) =>
    (typeof v === 'string' && values.includes(v)) || pixels(min, max, v) ? undefined : `must be one of ${values.join('|')} or [${min},${max}]px`;
/** `margin` and `padding`: one, two or four pixel values within a range ("0" may go without unit). */
const spacingBox =
  (min: number): Check =>
  (v) =>
    typeof v === 'string' && [1, 2, 4].includes(v.split(' ').length) && v.split(' ').every((part) => part === '0' || pixels(min, 99, part))
      ? undefined
      : `must be 1, 2 or 4 sizes in [${min},99]px`;
const arrayOf =
  (check: Check): Check =>
  (v) => {
    if (!Array.isArray(v)) return 'must be an array';
    for (const [i, item] of v.entries()) {
      const problem = check(item);
      if (problem) return `[${i}] ${problem}`;
    }
    return undefined;
  };
/** An object whose keys are all known and whose values pass their checks. */
const shape =
  (fields: Record<string, Check>, required: string[] = []): Check =>
  (v) => {
    if (!isRecord(v)) return 'must be an object';
    for (const key of required) if (!(key in v)) return `${key} is required`;
    for (const [key, value] of Object.entries(v)) {
      const check = fields[key];
      if (!check) return `unknown property, property: ${key}`;
      const problem = check(value);
      if (problem) return `${key} ${problem}`;
    }
    return undefined;
  };

const LANGUAGES = [
  'zh_cn',
  'en_us',
  'ja_jp',
  'zh_hk',
  'zh_tw',
  'id_id',
  'vi_vn',
  'th_th',
  'pt_br',
  'es_es',
  'ko_kr',
  'de_de',
  'fr_fr',
  'it_it',
  'ru_ru',
  'ms_my',
];
const i18nText: Check = (v) =>
  isRecord(v) && Object.entries(v).every(([lang, text]) => LANGUAGES.includes(lang) && typeof text === 'string') ? undefined : 'must map languages to text';

/** Colour names (颜色枚举值), for text, tags and backgrounds. */
const HUES = ['blue', 'carmine', 'green', 'indigo', 'lime', 'orange', 'purple', 'red', 'sunflower', 'turquoise', 'violet', 'wathet', 'yellow'];
const SHADES = ['50', '100', '200', '300', '350', '400', '500', '600', '700', '800', '900'];
const CARD_COLOURS: ReadonlySet<string> = new Set([
  'default',
  'bg-white',
  'white',
  ...HUES.flatMap((hue) => [hue, ...SHADES.map((shade) => `${hue}-${shade}`)]),
  'grey',
  ...['00', '50', '100', '200', '300', '350', '400', '500', '600', '650', '700', '800', '900', '950', '1000'].map((shade) => `grey-${shade}`),
]);
const colour: Check = (v) => (typeof v === 'string' && CARD_COLOURS.has(v) ? undefined : 'is not a colour of Lark’s colour enum');
/** Header templates (标题组件 template). */
const HEADER_TEMPLATES = ['blue', 'wathet', 'turquoise', 'green', 'yellow', 'orange', 'red', 'carmine', 'violet', 'purple', 'indigo', 'grey', 'default'];
/** Text tag colours, in headers and in markdown's `<text_tag>`. */
const TAG_COLOURS = ['neutral', 'blue', 'turquoise', 'lime', 'orange', 'violet', 'indigo', 'wathet', 'green', 'yellow', 'red', 'purple', 'carmine'];

/**
 * A text object (`plain_text`, or `lark_md` where `tags` allows). Where Lark fixes the tag to
 * plain_text (button text, placeholders, labels, option texts), the pages list only tag and content:
 * stricter reading, the styling fields are refused there, and the 100-character limits are enforced.
 */
function text(options: { tags?: string[]; max?: number; styled?: boolean } = {}): Check {
  const tags = options.tags ?? ['plain_text'];
  const styled: Record<string, Check> = options.styled
    ? { text_size: str, text_color: colour, text_align: oneOf('left', 'center', 'right'), lines: int(1, 1000) }
    : {};
  const fields = shape({ tag: oneOf(...tags), content: str, i18n_content: i18nText, element_id: elementId, ...styled }, ['tag']);
  return (v) => {
    const problem = fields(v);
    if (problem) return problem;
    const content = (v as { content?: string }).content ?? '';
    return options.max !== undefined && [...content].length > options.max ? `content is longer than ${options.max} characters` : undefined;
  };
}
/** `element_id`: "仅允许使用字母、数字和下划线，必须以字母开头，不得超过 20 字符" (card-json-v2-structure). */
const elementId: Check = (v) =>
  typeof v === 'string' && /^[A-Za-z][A-Za-z0-9_]{0,19}$/.test(v) ? undefined : 'must be a letter then up to 19 letters, digits or _';
const confirm = shape({ title: text(), text: text() }, ['title', 'text']);
const icon = shape({ tag: oneOf('standard_icon', 'custom_icon'), token: str, color: colour, img_key: str, size: str }, ['tag']);
const SPACING = ['small', 'medium', 'large', 'extra_large'];
const spacing = enumOrPx(0, 99, ...SPACING);
const align = oneOf('left', 'center', 'right');
const verticalAlign = oneOf('top', 'center', 'bottom');
const urls = shape({ url: str, default_url: str, android_url: str, ios_url: str, pc_url: str });
/**
 * Button behaviours (configuring-card-interactions): `callback` with an object value, `open_url`
 * with a default_url. 1.0's `form_action` behaviour is documented only for 1.0: refused.
 */
const behaviors = arrayOf((v) => {
  if (!isRecord(v)) return 'must be an object';
  if (v.type === 'callback') return shape({ type: str, value: object }, ['value'])(v);
  if (v.type === 'open_url') return shape({ type: str, default_url: str, android_url: str, ios_url: str, pc_url: str }, ['default_url'])(v);
  return 'type must be one of callback|open_url';
});
const width = enumOrPx(100, 100_000, 'default', 'fill');
const placeholder = text({ max: 100 });
const dateFormat =
  (pattern: RegExp, format: string): Check =>
  (v) =>
    typeof v === 'string' && pattern.test(v) ? undefined : `must be formatted ${format}`;

// --- components ---------------------------------------------------------------------------------

type Placement = 'anywhere' | 'root' | 'form';

interface ComponentRule {
  doc: string;
  /** Every attribute the page lists (`tag` included), with its check; nested components are walked, not checked here. */
  attributes: Record<string, Check>;
  required?: string[];
  /** Where the component may stand: `root` only in body.elements, `form` only inside a form. */
  placement?: Placement;
  /** The attribute that holds nested components, walked with the same rules. */
  holds?: 'elements' | 'columns';
  /** Takes input: inside a form it needs a `name` unique in the card. */
  input?: boolean;
}

const common = { tag: str, element_id: elementId, margin: spacingBox(-99) };
const layout = {
  direction: oneOf('vertical', 'horizontal'),
  padding: spacingBox(0),
  horizontal_spacing: spacing,
  vertical_spacing: spacing,
  horizontal_align: align,
  vertical_align: verticalAlign,
};
const pickerCommon = {
  ...common,
  name: str,
  required: bool,
  disabled: bool,
  placeholder,
  width,
  behaviors,
  confirm,
  value: object,
};

/**
 * The components JSON 2.0 documents, by tag (卡片 JSON 2.0 版本组件概述). A button's 1.0 `value`
 * and `url`, listed on the 2.0 page only as 历史属性 and reported by some to be ignored rather than
 * refused, are refused here: stricter, and an ignored `value` would lose the callback silently.
 */
const RULES: Record<string, ComponentRule> = {
  markdown: {
    doc: CARD_DOCS.markdown,
    attributes: { ...common, content: str, i18n_content: i18nText, text_align: align, text_size: str, icon },
    required: ['content'],
  },
  div: {
    doc: CARD_DOCS.plainText,
    attributes: {
      ...common,
      width: enumOrPx(16, 999, 'fill', 'auto'),
      text: text({ tags: ['plain_text', 'lark_md'], styled: true }),
      icon,
      fields: arrayOf(shape({ is_short: bool, text: text({ tags: ['plain_text', 'lark_md'], styled: true }) }, ['text'])),
    },
  },
  hr: { doc: CARD_DOCS.divider, attributes: { ...common } },
  img: {
    doc: CARD_DOCS.image,
    attributes: {
      ...common,
      img_key: str,
      alt: text(),
      title: text(),
      corner_radius: str,
      scale_type: oneOf('crop_center', 'crop_top', 'fit_horizontal'),
      // "不再支持传入 stretch_without_padding" (breaking changes).
      size: (v) => (v === 'stretch_without_padding' ? 'stretch_without_padding is no longer supported' : str(v)),
      transparent: bool,
      preview: bool,
    },
    required: ['img_key'],
  },
  person: {
    doc: CARD_DOCS.person,
    attributes: {
      ...common,
      user_id: str,
      size: oneOf('extra_small', 'small', 'medium', 'large'),
      show_avatar: bool,
      show_name: bool,
      style: oneOf('normal', 'capsule'),
    },
    required: ['user_id'],
  },
  person_list: {
    doc: CARD_DOCS.personList,
    attributes: {
      ...common,
      persons: arrayOf(shape({ id: str }, ['id'])),
      drop_invalid_user_id: bool,
      lines: int(1, 1000),
      show_name: bool,
      show_avatar: bool,
      size: oneOf('extra_small', 'small', 'medium', 'large'),
      icon,
    },
    required: ['persons'],
  },
  column_set: {
    doc: CARD_DOCS.columnSet,
    // The page lists no vertical layout fields on column_set (only on column): stricter, refused.
    attributes: {
      ...common,
      horizontal_spacing: spacing,
      horizontal_align: align,
      flex_mode: oneOf('none', 'stretch', 'flow', 'bisect', 'trisect'),
      background_style: colour,
      action: shape({ multi_url: urls }),
      columns: list,
    },
    required: ['columns'],
    holds: 'columns',
  },
  column: {
    doc: CARD_DOCS.columnSet,
    attributes: {
      ...common,
      ...layout,
      background_style: colour,
      width: enumOrPx(16, 600, 'auto', 'weighted'),
      weight: int(1, 5),
      action: shape({ multi_url: urls }),
      elements: list,
    },
    holds: 'elements',
  },
  form: {
    doc: CARD_DOCS.form,
    attributes: { ...common, ...layout, name: str, elements: list },
    required: ['name', 'elements'],
    placement: 'root',
    holds: 'elements',
  },
  interactive_container: {
    doc: CARD_DOCS.interactiveContainer,
    attributes: {
      ...common,
      ...layout,
      width: enumOrPx(16, 999, 'fill', 'auto'),
      height: enumOrPx(10, 999, 'auto'),
      background_style: (v) => (v === 'laser' ? undefined : colour(v)),
      has_border: bool,
      border_color: colour,
      corner_radius: str,
      behaviors,
      hover_tips: text(),
      disabled_tips: text(),
      disabled: bool,
      confirm,
      elements: list,
    },
    required: ['elements'],
    holds: 'elements',
  },
  collapsible_panel: {
    doc: CARD_DOCS.collapsiblePanel,
    attributes: {
      ...common,
      ...layout,
      expanded: bool,
      background_color: colour,
      header: shape(
        {
          title: text({ tags: ['plain_text', 'markdown'] }),
          background_color: colour,
          width: oneOf('fill', 'auto', 'auto_when_fold'),
          vertical_align: verticalAlign,
          padding: spacingBox(0),
          icon,
          icon_position: oneOf('left', 'right', 'follow_text'),
          icon_expanded_angle: (v) => ([-180, -90, 90, 180].includes(v as number) ? undefined : 'must be one of -180|-90|90|180'),
        },
        ['title'],
      ),
      border: shape({ color: colour, corner_radius: str }),
      elements: list,
    },
    required: ['header'],
    holds: 'elements',
  },
  button: {
    doc: CARD_DOCS.button,
    attributes: {
      ...common,
      type: oneOf('default', 'primary', 'danger', 'text', 'primary_text', 'danger_text', 'primary_filled', 'danger_filled', 'laser'),
      size: oneOf('tiny', 'small', 'medium', 'large'),
      width,
      text: text({ max: 100 }),
      icon,
      hover_tips: text(),
      disabled: bool,
      disabled_tips: text(),
      confirm,
      behaviors,
      name: str,
      form_action_type: oneOf('submit', 'reset'),
    },
    input: true,
  },
  input: {
    doc: CARD_DOCS.input,
    attributes: {
      ...common,
      name: str,
      required: bool,
      disabled: bool,
      disabled_tips: text(),
      placeholder,
      default_value: str,
      i18n_default_value: i18nText,
      width,
      behaviors,
      max_length: int(1, 1000),
      input_type: oneOf('text', 'multiline_text', 'password'),
      show_icon: bool,
      rows: int(1, 1000),
      auto_resize: bool,
      max_rows: int(1, 1000),
      label: text(),
      label_position: oneOf('top', 'left'),
      confirm,
    },
    input: true,
  },
  select_static: {
    doc: CARD_DOCS.select,
    attributes: {
      ...pickerCommon,
      type: oneOf('default', 'text'),
      initial_option: str,
      initial_index: int(0, 10_000),
      options: arrayOf(shape({ text: text(), icon, value: str }, ['text', 'value'])),
    },
    input: true,
  },
  multi_select_static: {
    doc: CARD_DOCS.multiSelect,
    attributes: {
      ...pickerCommon,
      type: oneOf('default', 'text'),
      selected_values: arrayOf(str),
      options: arrayOf(shape({ text: text(), icon, value: str }, ['text', 'value'])),
    },
    required: ['name'],
    placement: 'form',
    input: true,
  },
  select_person: {
    doc: CARD_DOCS.personPicker,
    attributes: { ...pickerCommon, type: oneOf('default', 'text'), initial_option: str, options: arrayOf(shape({ value: str }, ['value'])) },
    input: true,
  },
  multi_select_person: {
    doc: CARD_DOCS.multiPersonPicker,
    attributes: { ...pickerCommon, type: oneOf('default', 'text'), selected_values: arrayOf(str), options: arrayOf(shape({ value: str }, ['value'])) },
    required: ['name'],
    placement: 'form',
    input: true,
  },
  date_picker: {
    doc: CARD_DOCS.datePicker,
    attributes: { ...pickerCommon, initial_date: dateFormat(/^\d{4}-\d{2}-\d{2}$/, 'yyyy-MM-dd') },
    input: true,
  },
  picker_time: {
    doc: CARD_DOCS.timePicker,
    attributes: { ...pickerCommon, initial_time: dateFormat(/^\d{2}:\d{2}$/, 'HH:mm') },
    input: true,
  },
  picker_datetime: {
    doc: CARD_DOCS.dateTimePicker,
    attributes: { ...pickerCommon, initial_datetime: dateFormat(/^\d{4}-\d{2}-\d{2} \d{2}:\d{2}$/, 'yyyy-MM-dd HH:mm') },
    input: true,
  },
  checker: {
    doc: CARD_DOCS.checker,
    attributes: {
      ...common,
      name: str,
      checked: bool,
      text: text({ tags: ['plain_text', 'lark_md'], styled: true }),
      overall_checkable: bool,
      checked_style: shape({ show_strikethrough: bool, opacity: (v) => (typeof v === 'number' && v >= 0 && v <= 1 ? undefined : 'must be from 0 to 1') }),
      padding: spacingBox(0),
      confirm,
      behaviors,
      hover_tips: text(),
      disabled_tips: text(),
      disabled: bool,
    },
    input: true,
  },
  overflow: {
    doc: CARD_DOCS.overflow,
    attributes: {
      ...common,
      name: str,
      width,
      options: arrayOf(shape({ text: text({ max: 100 }), multi_url: urls, value: str }, ['text'])),
      behaviors,
      confirm,
    },
    required: ['options'],
    input: true,
  },
  table: {
    doc: CARD_DOCS.table,
    attributes: {
      ...common,
      page_size: int(1, 10),
      row_height: enumOrPx(32, 124, 'low', 'middle', 'high', 'auto'),
      row_max_height: enumOrPx(32, 999),
      freeze_first_column: bool,
      header_style: shape({
        text_align: align,
        text_size: oneOf('normal', 'heading'),
        background_style: oneOf('grey', 'none'),
        text_color: oneOf('default', 'grey'),
        bold: bool,
        lines: int(1, 1000),
      }),
      columns: arrayOf(
        shape(
          {
            name: str,
            display_name: str,
            width: (v) =>
              v === 'auto' || pixels(80, 600, v) || (typeof v === 'string' && /^(100|[1-9]\d?)%$/.test(v)) ? undefined : 'must be auto, [80,600]px or [1,100]%',
            vertical_align: verticalAlign,
            horizontal_align: align,
            data_type: oneOf('text', 'lark_md', 'options', 'number', 'persons', 'date', 'markdown'),
            format: shape({
              precision: int(0, 10),
              symbol: (v) => (typeof v === 'string' && [...v].length === 1 ? undefined : 'must be one character'),
              separator: bool,
            }),
            date_format: str,
          },
          ['name'],
        ),
      ),
      rows: arrayOf(object),
    },
    required: ['columns', 'rows'],
    placement: 'root',
  },
  chart: {
    doc: CARD_DOCS.chart,
    attributes: {
      ...common,
      aspect_ratio: oneOf('1:1', '2:1', '4:3', '16:9'),
      color_theme: oneOf('brand', 'rainbow', 'complementary', 'converse', 'primary'),
      chart_spec: object,
      preview: bool,
      height: enumOrPx(1, 999, 'auto'),
    },
    required: ['chart_spec'],
  },
};

/** 1.0 components that 2.0 refuses with 200861 (breaking changes: 废弃备注组件 & 交互模块). */
const REMOVED_IN_V2 = new Set(['note', 'action']);
/** Chart types Lark's chart page documents (13 charts drawn from these VChart types). */
const CHART_TYPES = new Set(['line', 'area', 'bar', 'pie', 'common', 'funnel', 'scatter', 'radar', 'linearProgress', 'circularProgress', 'wordCloud']);

// --- the card -----------------------------------------------------------------------------------

const TOP_LEVEL: Record<string, Check> = {
  schema: oneOf('2.0'),
  config: shape({
    streaming_mode: bool,
    streaming_config: object,
    summary: shape({ content: str, i18n_content: i18nText }),
    locales: arrayOf(oneOf(...LANGUAGES)),
    enable_forward: bool,
    // "JSON 2.0 暂时仅支持设为 true"; Lark names no error for false on send: stricter, refused.
    update_multi: (v) => (v === true ? undefined : 'must be true in JSON 2.0'),
    width_mode: oneOf('default', 'compact', 'fill'),
    use_custom_translation: bool,
    enable_forward_interaction: bool,
    style: shape({ text_size: object, color: object }),
  }),
  card_link: urls,
  header: shape(
    {
      title: text({ tags: ['plain_text', 'lark_md'] }),
      subtitle: text({ tags: ['plain_text', 'lark_md'] }),
      // More than three tags are not refused, only not shown (标题组件).
      text_tag_list: arrayOf(shape({ tag: oneOf('text_tag'), element_id: elementId, text: text(), color: oneOf(...TAG_COLOURS) }, ['tag', 'text'])),
      i18n_text_tag_list: object,
      template: oneOf(...HEADER_TEMPLATES),
      icon,
      // 2.0's header page gives [-99,99]px, the structure page [0,99]px: the stricter one.
      padding: spacingBox(0),
    },
    // The title page marks title required; a header without one is refused (stricter reading).
    ['title'],
  ),
  // The body lays out its elements like a container (card-json-v2-structure).
  body: shape({ ...layout, elements: list }),
};

/** What the walk of one card collects for the card-wide rules. */
interface Walk {
  context: CardContext;
  tables: number;
  names: Set<string>;
  elementIds: Set<string>;
}

/**
 * Checks a card's JSON as Lark does when it is sent, replied with, updated to or answered to a
 * callback, and throws the CardRefusal Lark would answer with. Cards that are not JSON 2.0 (1.0
 * cards, template and card-entity references) are not Lark's 2.0 concern and pass.
 */
export function checkCard(card: unknown, context: CardContext): void {
  if (!isRecord(card))
    throw new CardRefusal(CardErrorCode.invalidJson, 'ROOT', 'parse card json err, please check whether the card json is correct', typeof card);
  if (card.schema !== '2.0') return;
  for (const [key, value] of Object.entries(card)) {
    const check = TOP_LEVEL[key];
    // `elements`, `i18n_elements`, `fallback` and `i18n_header` end here: 2.0 puts elements in body and has no global i18n or fallback.
    if (!check) throw unknownProperty(key, 'ROOT');
    const problem = check(value);
    if (problem) throw new CardRefusal(CardErrorCode.invalidJson, `ROOT -> ${key}`, problem, JSON.stringify(value).slice(0, 200));
  }
  const walk: Walk = { context, tables: 0, names: new Set(), elementIds: new Set() };
  const elements = (isRecord(card.body) && Array.isArray(card.body.elements) ? card.body.elements : []) as unknown[];
  for (const [i, element] of elements.entries()) checkComponent(element, `ROOT -> body -> elements -> [${i}]`, { depth: 1, atRoot: true, inForm: false }, walk);
  const count = countElements(card);
  // "一张卡片最多支持 200 个元素（如 tag 为 plain_text 的文本元素）或组件" (card-json-v2-structure). Lark does
  // not say whether columns and the header's objects count: stricter, every object with a tag counts.
  if (count > MAX_CARD_ELEMENTS)
    throw new CardRefusal(CardErrorCode.overLimit, 'ROOT', 'element exceeds the limit', `${count} elements, the limit is ${MAX_CARD_ELEMENTS}`);
}

/** The number of elements Lark counts in a card: every object with a `tag`, components and text objects alike. */
export function countElements(node: unknown): number {
  if (Array.isArray(node)) return node.reduce((sum: number, item) => sum + countElements(item), 0);
  if (!isRecord(node)) return 0;
  const own = typeof node.tag === 'string' ? 1 : 0;
  // A chart spec and table rows are data, not card elements.
  return own + Object.entries(node).reduce((sum, [key, value]) => (key === 'chart_spec' || key === 'rows' ? sum : sum + countElements(value)), 0);
}

interface Place {
  depth: number;
  atRoot: boolean;
  inForm: boolean;
}

function checkComponent(node: unknown, at: string, place: Place, walk: Walk): void {
  if (!isRecord(node) || typeof node.tag !== 'string')
    throw new CardRefusal(CardErrorCode.invalidJson, at, 'a component needs a tag', JSON.stringify(node)?.slice(0, 200) ?? '');
  const tag = node.tag;
  const path = `${at}(tag: ${tag})`;
  if (REMOVED_IN_V2.has(tag))
    throw new CardRefusal(CardErrorCode.removedInV2, path, 'cards of schema V2 no longer support this capability', `unsupported tag ${tag}`);
  const rule = RULES[tag];
  if (!rule) throw new CardRefusal(CardErrorCode.invalidJson, path, `type of element is not supported tag: ${tag}`, tag);
  // "表单容器/表格组件不可被内嵌在其它组件内，只可放在卡片根节点下" (form-container, table).
  if (rule.placement === 'root' && !place.atRoot)
    throw new CardRefusal(CardErrorCode.invalidJson, path, `type of element is not supported tag: ${tag}`, `${tag} may only stand in body.elements`);
  // "仅支持内嵌在表单容器中使用" (multi-select dropdown and person picker).
  if (rule.placement === 'form' && !place.inForm)
    throw new CardRefusal(CardErrorCode.invalidJson, path, `type of element is not supported tag: ${tag}`, `${tag} may only stand in a form`);
  if (place.depth > MAX_NESTING) throw new CardRefusal(CardErrorCode.invalidJson, path, 'components nest more than five levels deep', String(place.depth));
  for (const key of rule.required ?? []) {
    if (!(key in node)) throw new CardRefusal(CardErrorCode.invalidJson, path, `${key} is required (${rule.doc})`, key);
  }
  for (const [key, value] of Object.entries(node)) {
    const check = rule.attributes[key];
    if (!check) throw unknownProperty(key, path);
    const problem = check(value);
    if (problem) throw new CardRefusal(CardErrorCode.invalidJson, `${path} -> ${key}`, `${problem} (${rule.doc})`, JSON.stringify(value).slice(0, 200));
  }
  if (typeof node.element_id === 'string') {
    if (walk.elementIds.has(node.element_id)) throw new CardRefusal(CardErrorCode.invalidJson, path, 'element_id must be unique in the card', node.element_id);
    walk.elementIds.add(node.element_id);
  }
  checkNames(node, rule, path, place, walk);
  if (tag === 'markdown') checkMarkdown(String(node.content), path, walk.context);
  if (tag === 'select_static' || tag === 'multi_select_static') checkOptionValues(node, path);
  if (tag === 'table') checkTable(node, path, walk);
  if (tag === 'chart') checkChart(node.chart_spec, path);
  if (tag === 'form') checkSubmitButton(node, path);
  if (rule.holds) {
    const children = node[rule.holds] as unknown[];
    const inside: Place = { depth: place.depth + 1, atRoot: false, inForm: place.inForm || tag === 'form' };
    if (tag === 'form' && place.inForm)
      throw new CardRefusal(CardErrorCode.invalidJson, path, 'type of element is not supported tag: form', 'a form may not hold a form');
    children.forEach((child, i) => {
      // column_set holds columns, and only columns; a column holds components.
      if (rule.holds === 'columns' && (!isRecord(child) || child.tag !== 'column')) {
        throw new CardRefusal(CardErrorCode.invalidJson, `${path} -> columns -> [${i}]`, 'columns may only hold column', JSON.stringify(child).slice(0, 200));
      }
      checkComponent(child, `${path} -> ${rule.holds} -> [${i}]`, tag === 'column_set' ? { ...inside, depth: place.depth } : inside, walk);
    });
  }
}

/**
 * Names: a form's "在同一张卡片内，该字段的值全局唯一"; inside a form, every interactive component's name
 * "该字段必填且需在卡片全局内唯一，否则数据会发送失败" (form-container). Lark says the data would fail to send;
 * stricter reading, the card is refused when sent.
 */
function checkNames(node: Record<string, unknown>, rule: ComponentRule, path: string, place: Place, walk: Walk): void {
  const needsName = node.tag === 'form' || (rule.input === true && place.inForm);
  if (!needsName && node.name === undefined) return;
  const name = node.name;
  if (typeof name !== 'string' || name === '')
    throw new CardRefusal(CardErrorCode.invalidJson, path, 'a form and each input in a form need a name', String(name));
  if (walk.names.has(name)) throw new CardRefusal(CardErrorCode.overLimit, path, `name(${name}) duplicate`, name);
  walk.names.add(name);
}

/** "表单容器内必须包含一个用于提交表单的按钮组件" (form-container). */
function checkSubmitButton(form: Record<string, unknown>, path: string): void {
  const hasSubmit = (node: unknown): boolean =>
    Array.isArray(node)
      ? node.some(hasSubmit)
      : isRecord(node) && ((node.tag === 'button' && node.form_action_type === 'submit') || Object.values(node).some(hasSubmit));
  if (!hasSubmit(form.elements))
    throw new CardRefusal(CardErrorCode.invalidJson, path, 'a form needs a button with form_action_type submit', String(form.name));
}

/**
 * "同一个选择组件内，各选项的 value 值不可重复，否则将导致用户侧交互异常" (dropdown pages): a broken
 * picker in the client; stricter reading, refused on send.
 */
function checkOptionValues(node: Record<string, unknown>, path: string): void {
  const values = ((node.options ?? []) as { value: string }[]).map((o) => o.value);
  const repeated = values.find((v, i) => values.indexOf(v) !== i);
  if (repeated !== undefined) throw new CardRefusal(CardErrorCode.invalidJson, `${path} -> options`, 'option values must be unique', repeated);
}

/**
 * Markdown content: every `<at>` must name a user of the tenant (100290, send-message errors);
 * `<at id=all>` "需要群主开启权限。若未开启，卡片将发送失败" (rich-text) — the code is not documented, and
 * the bot never has that permission: stricter, refused as an invalid user. `<font color>` takes the
 * colour enum (rich-text; unknown names are undocumented: stricter, refused).
 */
function checkMarkdown(content: string, path: string, context: CardContext): void {
  for (const [, id] of content.matchAll(/<at\s+(?:id|ids)=['"]?([^'" >]+)['"]?\s*>/g)) {
    for (const one of id!.split(',')) {
      if (one === 'all' || !context.isUser(one))
        throw new CardRefusal(CardErrorCode.invalidUser, path, 'There is an invalid user resource(at/person) in your card', one);
    }
  }
  for (const [, name] of content.matchAll(/<font\s+color=['"]?([^'" >]+)['"]?\s*>/g)) {
    if (!CARD_COLOURS.has(name!)) throw new CardRefusal(CardErrorCode.invalidJson, path, 'invalid color', name!);
  }
}

/**
 * A table's rows hold only declared columns (200915) with cells of the column's type (200914):
 * number and date take numbers (date: epoch ms), persons an id or ids, options a text or
 * {text, color} items. At most five tables per card (11310).
 */
function checkTable(table: Record<string, unknown>, path: string, walk: Walk): void {
  walk.tables += 1;
  if (walk.tables > MAX_TABLES) throw new CardRefusal(CardErrorCode.overLimit, path, 'card table number over limit', 'table');
  const types = new Map((table.columns as { name: string; data_type?: string }[]).map((c) => [c.name, c.data_type ?? 'text']));
  (table.rows as Record<string, unknown>[]).forEach((row, i) => {
    for (const [key, cell] of Object.entries(row)) {
      const type = types.get(key);
      if (type === undefined) throw new CardRefusal(CardErrorCode.invalidTableRowName, `${path} -> rows -> [${i}]`, 'table rows name is invalid', key);
      if (!cellFits(type, cell))
        throw new CardRefusal(
          CardErrorCode.invalidTableRows,
          `${path} -> rows -> [${i}] -> ${key}`,
          'table rows is invalid',
          `${type}: ${JSON.stringify(cell)}`,
        );
    }
  });
}

function cellFits(type: string, cell: unknown): boolean {
  if (cell === null || cell === undefined) return true;
  switch (type) {
    case 'number':
    case 'date':
      return typeof cell === 'number' && Number.isFinite(cell);
    case 'persons':
      return typeof cell === 'string' || (Array.isArray(cell) && cell.every((id) => typeof id === 'string'));
    case 'options':
      return (
        typeof cell === 'string' ||
        (Array.isArray(cell) &&
          cell.every((o) => isRecord(o) && typeof o.text === 'string' && (o.color === undefined || TAG_COLOURS.includes(o.color as string))))
      );
    default:
      // "非字符串类型转换为字符串展示": text cells of other types are shown, not refused.
      return true;
  }
}

/**
 * A chart spec is a VChart spec, plain JSON (no JavaScript), checked by Lark against VChart's schema
 * (200550). Lark does not list the required fields; a spec is told apart by its `type`, so one
 * without a documented type is refused (stricter reading), and the data a chart draws must be there.
 */
function checkChart(spec: unknown, path: string): void {
  const refuse = (why: string) => new CardRefusal(CardErrorCode.invalidChart, `${path} -> chart_spec`, 'chart spec is invalid', why);
  if (!isRecord(spec)) throw refuse('(root): Invalid type. Expected: object');
  if (typeof spec.type !== 'string' || !CHART_TYPES.has(spec.type)) throw refuse(`type: must be one of ${[...CHART_TYPES].join('|')}`);
  if (spec.axes !== undefined && !Array.isArray(spec.axes)) throw refuse('axes: Invalid type. Expected: array');
  const data = spec.data;
  if (!(Array.isArray(data) ? data.every((d) => isRecord(d) && Array.isArray(d.values)) : isRecord(data) && Array.isArray(data.values))) {
    throw refuse('data: each data set needs values (an array)');
  }
}

function unknownProperty(key: string, path: string): CardRefusal {
  return new CardRefusal(CardErrorCode.invalidJson, path, `unknown property, property: ${key}, path: ${path}`, key);
}

// --- the answer to a card callback ----------------------------------------------------------------

/** A refused callback answer: the client shows the code and the card stays as it was. */
export interface CallbackRefusal {
  code: number;
  msg: string;
}

/**
 * Checks a card callback's answer (card-callback-communication, 响应回调的结构体): `{}`, or a `toast`
 * of type info|success|error|warning with its content, and/or a `card` {type: raw|template, data}.
 * A raw card must pass the card rules, and a 2.0 card must be answered with a 2.0 card (200830).
 * Lark documents no code for a toast of another type: stricter, it is a bad answer (200672).
 */
export function checkCallbackAnswer(answer: unknown, answeredCard: unknown, context: CardContext): CallbackRefusal | undefined {
  const bad = (code: number, msg: string) => ({ code, msg });
  if (answer === undefined || answer === '') return undefined;
  if (!isRecord(answer)) return bad(CallbackErrorCode.badResponse, 'the answer is not a JSON object');
  for (const key of Object.keys(answer)) if (key !== 'toast' && key !== 'card') return bad(CallbackErrorCode.badResponse, `unknown field ${key}`);
  if (answer.toast !== undefined) {
    const problem = shape({ type: oneOf('info', 'success', 'error', 'warning'), content: str, i18n: i18nText })(answer.toast);
    if (problem) return bad(CallbackErrorCode.badResponse, `toast ${problem}`);
  }
  if (answer.card === undefined) return undefined;
  const card = answer.card;
  if (!isRecord(card) || (card.type !== 'raw' && card.type !== 'template') || !isRecord(card.data)) {
    return bad(CallbackErrorCode.badCard, 'card must be {type: raw|template, data: object}');
  }
  if (card.type === 'template') return undefined;
  const bytes = Buffer.byteLength(JSON.stringify(card.data), 'utf8');
  if (bytes > MAX_CARD_BYTES) return bad(CallbackErrorCode.badCard, `the card is ${bytes} bytes, the limit is ${MAX_CARD_BYTES}`);
  if (isRecord(answeredCard) && answeredCard.schema === '2.0' && card.data.schema !== '2.0') {
    return bad(CallbackErrorCode.downgradedCard, 'a JSON 2.0 card cannot be updated to a JSON 1.0 card');
  }
  try {
    checkCard(card.data, context);
  } catch (error) {
    if (error instanceof CardRefusal) return bad(CallbackErrorCode.badCard, error.message);
    throw error;
  }
  return undefined;
}
