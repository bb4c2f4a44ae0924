/*
 * Renders what the bot sends as Lark's client shows it: text messages, and card JSON 2.0 (header,
 * markdown, hr, column_set, buttons, forms with inputs, selects, person and date pickers, tables,
 * and VChart bar charts drawn here in SVG). Exposes window.LarkCard.
 *
 * ctx: { nameOf(openId) → name, botName, people: [{openId, name, roleName, unit}],
 *        chatMembers: [openId] (whom a person picker without options offers),
 *        act(value, {formValue, tag, name}) → Promise (a click or a form submit),
 *        toast(type, text) }
 */
(function () {
  'use strict';

  const HEADER_COLORS = {
    blue: '#3370ff', wathet: '#4fb1f5', turquoise: '#00b5a7', green: '#34c724', yellow: '#d4b106',
    orange: '#ff8800', red: '#f54a45', carmine: '#d83e7e', violet: '#9f6fef', purple: '#7f3bf5',
    indigo: '#4e5ff1', grey: '#8f959e', default: '#3370ff',
  };
  const FONT_COLORS = { red: '#f54a45', green: '#2ea121', orange: '#de7802', grey: '#8f959e', gray: '#8f959e', blue: '#3370ff', yellow: '#d4b106', purple: '#7f3bf5' };

  function esc(text) {
    return String(text).replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c]);
  }

  function el(tag, className, text) {
    const node = document.createElement(tag);
    if (className) node.className = className;
    if (text !== undefined) node.textContent = text;
    return node;
  }

  const plain = (t) => (t && typeof t === 'object' ? t.content || '' : t || '');

  /** Lark markdown: bold, italic, strike, code, links, lists, headings, <font color>, <at id>. */
  function markdown(src, ctx) {
    const slots = [];
    const keep = (html) => '\u0000' + (slots.push(html) - 1) + '\u0000';
    let s = String(src)
      .replace(/\\([\\*_~`[\]<>#|])/g, (_, c) => keep(esc(c)))
      .replace(/<at\s+id=["']?([^"'\s>]+)["']?\s*>\s*<\/at>/g, (_, id) => keep(mention(id, ctx)))
      .replace(/<at\s+(?:user_id|open_id)=["']?([^"'\s>]+)["']?\s*>([^<]*)<\/at>/g, (_, id, name) => keep(mention(id, ctx, name)))
      .replace(/<font\s+color=["']?([#\w-]+)["']?\s*>/g, (_, c) => keep('<span style="color:' + esc(FONT_COLORS[c] || c) + '">'))
      .replace(/<\/font>/g, () => keep('</span>'));
    s = esc(s)
      .replace(/`([^`]+)`/g, (_, code) => keep('<code>' + code + '</code>'))
      .replace(/\*\*(.+?)\*\*/g, '<b>$1</b>')
      .replace(/~~(.+?)~~/g, '<s>$1</s>')
      .replace(/(^|[^*])\*([^*\n]+)\*/g, '$1<i>$2</i>')
      .replace(/\[([^\]]+)\]\((https?:[^)\s]+)\)/g, '<a href="$2" target="_blank" rel="noopener">$1</a>');
    const html = [];
    let list = null;
    for (const line of s.split('\n')) {
      const bullet = /^\s*[-*]\s+(.*)$/.exec(line);
      const numbered = /^\s*(\d+)\.\s+(.*)$/.exec(line);
      const kind = bullet ? 'ul' : numbered ? 'ol' : null;
      if (list && list !== kind) {
        html.push('</' + list + '>');
        list = null;
      }
      if (kind && !list) {
        html.push(kind === 'ol' ? '<ol start="' + numbered[1] + '">' : '<ul>');
        list = kind;
      }
      const heading = /^(#{1,6})\s+(.*)$/.exec(line);
      if (bullet) html.push('<li>' + bullet[1] + '</li>');
      else if (numbered) html.push('<li>' + numbered[2] + '</li>');
      else if (heading) html.push('<div class="md-h' + heading[1].length + '">' + heading[2] + '</div>');
      else html.push('<div>' + (line.trim() === '' ? '&nbsp;' : line) + '</div>');
    }
    if (list) html.push('</' + list + '>');
    return html.join('').replace(/\u0000(\d+)\u0000/g, (_, i) => slots[Number(i)]);
  }

  function mention(id, ctx, fallback) {
    const name = id === 'all' ? '所有人' : ctx.nameOf(id) || fallback || id;
    return '<span class="at">@' + esc(name) + '</span>';
  }

  /** A text message: plain text with Lark's <at user_id="…">name</at> mentions. */
  function renderText(text, ctx) {
    const node = el('div', 'text-body');
    const slots = [];
    const withMentions = String(text).replace(/<at\s+(?:user_id|open_id|id)=["']?([^"'\s>]+)["']?\s*>([^<]*)<\/at>/g, (_, id, name) => {
      slots.push(mention(id, ctx, name));
      return '\u0000' + (slots.length - 1) + '\u0000';
    });
    const names = [ctx.botName, ...ctx.people.map((p) => p.name)].sort((a, b) => b.length - a.length).map((n) => esc(n).replace(/[.*+?^${}()|[\]\\]/g, '\\$&'));
    node.innerHTML = esc(withMentions)
      .replace(new RegExp('@(' + names.join('|') + ')', 'g'), '<span class="at">@$1</span>')
      .replace(/\u0000(\d+)\u0000/g, (_, i) => slots[Number(i)])
      .replace(/\n/g, '<br>');
    return node;
  }

  /** A whole card: header, then its elements; clicks and submits go to ctx.act. */
  function render(card, ctx) {
    const root = el('div', 'card');
    const header = card.header;
    if (header && header.title) {
      const head = el('div', 'card-header', plain(header.title));
      head.style.background = HEADER_COLORS[header.template] || HEADER_COLORS.default;
      root.appendChild(head);
    }
    const body = el('div', 'card-body');
    const elements = (card.body && card.body.elements) || card.elements || [];
    renderInto(body, elements, { ...ctx, card: root, form: null });
    root.appendChild(body);
    return root;
  }

  function renderInto(parent, elements, ctx) {
    for (const element of elements || []) parent.appendChild(renderElement(element, ctx));
  }

  function renderElement(e, ctx) {
    switch (e.tag) {
      case 'markdown':
      case 'lark_md': {
        const node = el('div', 'md');
        node.innerHTML = markdown(e.content || '', ctx);
        if (e.text_align) node.style.textAlign = e.text_align;
        return node;
      }
      case 'div':
      case 'plain_text': {
        const text = e.tag === 'div' ? e.text : e;
        const node = el('div', 'md');
        if (text && text.tag === 'lark_md') node.innerHTML = markdown(text.content || '', ctx);
        else node.textContent = plain(text);
        return node;
      }
      case 'hr':
        return el('hr');
      case 'column_set':
        return renderColumns(e, ctx);
      case 'button':
        return renderButton(e, ctx);
      case 'form':
        return renderForm(e, ctx);
      case 'input':
        return field(e, ctx, renderInput(e));
      case 'select_static':
      case 'multi_select_static':
        return field(e, ctx, renderSelect(e, (e.options || []).map((o) => ({ value: o.value, text: plain(o.text) })), e.tag.startsWith('multi')));
      case 'select_person':
      case 'multi_select_person':
        return field(e, ctx, renderPersonPicker(e, ctx));
      case 'date_picker':
        return field(e, ctx, renderDatePicker(e));
      case 'table':
        return renderTable(e);
      case 'chart':
        return renderChart(e.chart_spec || {});
      case 'collapsible_panel': {
        const details = el('details', 'panel');
        details.appendChild(el('summary', null, plain(e.header && e.header.title) || '展开'));
        renderInto(details, e.elements, ctx);
        return details;
      }
      case 'img':
        return el('div', 'unsupported', '[图片]');
      default:
        return el('div', 'unsupported', '[暂不支持的组件：' + e.tag + ']');
    }
  }

  function renderColumns(e, ctx) {
    const row = el('div', 'columns' + (e.flex_mode === 'flow' ? ' flow' : ''));
    for (const column of e.columns || []) {
      const col = el('div', 'column');
      if (column.width === 'weighted') col.style.flex = String(column.weight || 1);
      else if (column.width && column.width !== 'auto') col.style.width = column.width;
      renderInto(col, column.elements, ctx);
      row.appendChild(col);
    }
    return row;
  }

  function callbackValue(e) {
    const callback = (e.behaviors || []).find((b) => b.type === 'callback');
    return callback ? callback.value || {} : e.value || {};
  }

  function renderButton(e, ctx) {
    const button = el('button', 'btn btn-' + (e.type || 'default'), plain(e.text));
    button.type = 'button';
    if (e.disabled) button.disabled = true;
    const link = (e.behaviors || []).find((b) => b.type === 'open_url');
    button.addEventListener('click', () => {
      if (link) return void window.open(link.default_url, '_blank', 'noopener');
      if (e.form_action_type === 'reset' && ctx.form) return void ctx.form.reset();
      if (e.form_action_type === 'submit' && ctx.form) return void submitForm(ctx.form, e, ctx);
      void act(ctx, callbackValue(e), { tag: 'button', name: e.name });
    });
    return button;
  }

  /** Runs a click, with the card's buttons disabled until the bot answers. */
  async function act(ctx, value, extra) {
    const buttons = [...ctx.card.querySelectorAll('button')];
    const enabled = buttons.filter((b) => !b.disabled);
    enabled.forEach((b) => (b.disabled = true));
    try {
      await ctx.act(value, extra);
    } finally {
      enabled.forEach((b) => (b.disabled = false));
    }
  }

  function renderForm(e, ctx) {
    const form = el('form', 'card-form');
    form.dataset.name = e.name || '';
    form.addEventListener('submit', (event) => event.preventDefault());
    renderInto(form, e.elements, { ...ctx, form });
    return form;
  }

  /** Collects a form's values as Lark submits them, after the client-side check of required fields. */
  function submitForm(form, button, ctx) {
    const formValue = {};
    const missing = [];
    for (const fieldNode of form.querySelectorAll('[data-field]')) {
      const value = fieldNode.fieldValue();
      const empty = value === undefined || (Array.isArray(value) && value.length === 0);
      fieldNode.classList.toggle('invalid', empty && fieldNode.dataset.required === 'true');
      if (empty && fieldNode.dataset.required === 'true') missing.push(fieldNode.dataset.label || fieldNode.dataset.field);
      else if (!empty) formValue[fieldNode.dataset.field] = value;
    }
    if (missing.length > 0) return void ctx.toast('error', '请填写必填项：' + missing.join('、'));
    void act(ctx, callbackValue(button), { formValue, tag: 'button', name: button.name });
  }

  /** A form field: label, control, and how to read the control's value the way Lark sends it. */
  function field(e, ctx, control) {
    const wrap = el('label', 'field');
    wrap.dataset.field = e.name || '';
    wrap.dataset.required = String(Boolean(e.required));
    const label = plain(e.label);
    wrap.dataset.label = label || plain(e.placeholder);
    if (label) wrap.appendChild(el('span', 'field-label' + (e.required ? ' required' : ''), label));
    wrap.appendChild(control.node);
    wrap.fieldValue = control.read;
    if (!ctx.form) wrap.classList.add('standalone');
    return wrap;
  }

  function renderInput(e) {
    const multiline = e.input_type === 'multiline_text';
    const input = el(multiline ? 'textarea' : 'input', 'control');
    if (!multiline) input.type = e.input_type === 'password' ? 'password' : 'text';
    input.name = e.name || '';
    input.placeholder = plain(e.placeholder);
    if (e.default_value) input.value = e.default_value;
    if (e.max_length) input.maxLength = e.max_length;
    return { node: input, read: () => (input.value.trim() === '' ? undefined : input.value) };
  }

  function renderSelect(e, options, multiple) {
    const select = el('select', 'control');
    select.name = e.name || '';
    select.multiple = multiple;
    if (!multiple) {
      const none = el('option', null, plain(e.placeholder) || '请选择');
      none.value = '';
      select.appendChild(none);
    }
    for (const o of options) {
      const option = el('option', null, o.text);
      option.value = o.value;
      if (o.value === e.initial_option || (e.initial_options || []).includes(o.value)) option.selected = true;
      select.appendChild(option);
    }
    const read = () => {
      const chosen = [...select.selectedOptions].map((o) => o.value).filter(Boolean);
      return multiple ? chosen : chosen[0];
    };
    return { node: select, read };
  }

  /**
   * Lark offers the listed people, or without a valid list the members of the chat the card is in
   * (in a direct chat, the reader alone); a single picker submits an open_id, a multi one a list.
   */
  function renderPersonPicker(e, ctx) {
    const known = new Set(ctx.people.map((p) => p.openId));
    const listed = (e.options || []).map((o) => o.value).filter((openId) => known.has(openId));
    const offered = listed.length > 0 ? listed : ctx.chatMembers;
    const people = offered.map((openId) => ctx.people.find((p) => p.openId === openId)).filter(Boolean);
    const options = people.map((p) => ({ value: p.openId, text: p.name + '（' + [p.unit, p.roleName].filter(Boolean).join(' · ') + '）' }));
    if (e.tag === 'select_person') return renderSelect(e, options, false);
    const box = el('div', 'people-box control');
    for (const o of options) {
      const item = el('label', 'person-option');
      const check = el('input');
      check.type = 'checkbox';
      check.value = o.value;
      item.append(check, document.createTextNode(' ' + o.text));
      box.appendChild(item);
    }
    const read = () => [...box.querySelectorAll('input:checked')].map((c) => c.value);
    return { node: box, read };
  }

  function renderDatePicker(e) {
    const input = el('input', 'control');
    input.type = 'date';
    input.name = e.name || '';
    if (e.initial_date) input.value = e.initial_date.slice(0, 10);
    // Lark's date picker submits the day with the user's UTC offset after it.
    return { node: input, read: () => (input.value ? input.value + ' +0800' : undefined) };
  }

  function renderTable(e) {
    const wrap = el('div', 'table-wrap');
    const columns = e.columns || [];
    const rows = e.rows || [];
    const pageSize = e.page_size || 10;
    let page = 0;
    const table = el('table', 'card-table');
    const pager = el('div', 'pager');
    const cell = (column, row) => {
      const value = row[column.name];
      if (value === undefined || value === null) return '';
      if (column.data_type === 'number' && typeof value === 'number' && column.format && column.format.precision !== undefined) {
        return value.toFixed(column.format.precision);
      }
      return typeof value === 'object' ? JSON.stringify(value) : String(value);
    };
    const draw = () => {
      table.innerHTML = '';
      const head = el('tr');
      for (const c of columns) head.appendChild(el('th', c.data_type === 'number' ? 'num' : null, c.display_name || c.name));
      table.appendChild(el('thead')).appendChild(head);
      const body = table.appendChild(el('tbody'));
      for (const row of rows.slice(page * pageSize, (page + 1) * pageSize)) {
        const tr = el('tr');
        for (const c of columns) tr.appendChild(el('td', c.data_type === 'number' ? 'num' : null, cell(c, row)));
        body.appendChild(tr);
      }
      const pages = Math.ceil(rows.length / pageSize);
      pager.hidden = pages <= 1;
      pager.innerHTML = '';
      const step = (text, to) => {
        const b = el('button', 'btn btn-text', text);
        b.type = 'button';
        b.disabled = to < 0 || to >= pages;
        b.addEventListener('click', () => ((page = to), draw()));
        return b;
      };
      pager.append(step('‹', page - 1), el('span', null, page + 1 + ' / ' + pages), step('›', page + 1));
    };
    draw();
    wrap.append(table, pager);
    return wrap;
  }

  /** A VChart bar chart (data, xField, yField), drawn in SVG; negative values hang below the axis. */
  function renderChart(spec) {
    const wrap = el('div', 'chart');
    const data = Array.isArray(spec.data) ? spec.data[0] : spec.data;
    const values = (data && data.values) || [];
    const xField = Array.isArray(spec.xField) ? spec.xField[0] : spec.xField;
    const yField = Array.isArray(spec.yField) ? spec.yField[0] : spec.yField;
    if (spec.type !== 'bar' || values.length === 0) {
      wrap.appendChild(el('div', 'unsupported', '[图表：' + (spec.type || '未知') + '，' + values.length + ' 项]'));
      return wrap;
    }
    const W = 640;
    const H = 300;
    const m = { top: 24, right: 12, bottom: 64, left: 44 };
    const ys = values.map((v) => Number(v[yField]) || 0);
    const axis = niceAxis(Math.min(0, ...ys), Math.max(0, ...ys));
    const plotH = H - m.top - m.bottom;
    const plotW = W - m.left - m.right;
    const yOf = (v) => m.top + ((axis.hi - v) / (axis.hi - axis.lo)) * plotH;
    const band = plotW / values.length;
    const barW = Math.min(48, band * 0.6);
    const labelY = H - m.bottom + 30;
    const parts = [];
    for (let v = axis.lo; v <= axis.hi + axis.step / 2; v += axis.step) {
      const y = yOf(v);
      parts.push('<line x1="' + m.left + '" x2="' + (W - m.right) + '" y1="' + y + '" y2="' + y + '" class="grid"/>');
      parts.push('<text x="' + (m.left - 6) + '" y="' + (y + 4) + '" class="tick" text-anchor="end">' + esc(round(v)) + '</text>');
    }
    values.forEach((row, i) => {
      const v = ys[i];
      const cx = m.left + band * i + band / 2;
      const top = yOf(Math.max(v, 0));
      const height = Math.max(1, Math.abs(yOf(v) - yOf(0)));
      parts.push('<rect class="bar' + (v < 0 ? ' negative' : '') + '" x="' + (cx - barW / 2) + '" y="' + top + '" width="' + barW + '" height="' + height + '"><title>' + esc(row[xField]) + '：' + esc(v) + '</title></rect>');
      if (!spec.label || spec.label.visible !== false) {
        const ly = v < 0 ? top + height + 13 : top - 5;
        parts.push('<text x="' + cx + '" y="' + ly + '" class="value" text-anchor="middle">' + esc(round(v)) + '</text>');
      }
      const rotate = values.length > 6 ? ' transform="rotate(-30 ' + cx + ' ' + labelY + ')"' : '';
      parts.push('<text x="' + cx + '" y="' + labelY + '" class="tick" text-anchor="' + (rotate ? 'end' : 'middle') + '"' + rotate + '>' + esc(row[xField]) + '</text>');
    });
    parts.push('<line x1="' + m.left + '" x2="' + (W - m.right) + '" y1="' + yOf(0) + '" y2="' + yOf(0) + '" class="axis"/>');
    const title = spec.title && spec.title.text ? '<text x="' + W / 2 + '" y="16" text-anchor="middle" class="title">' + esc(spec.title.text) + '</text>' : '';
    wrap.innerHTML = '<svg viewBox="0 0 ' + W + ' ' + H + '" role="img" aria-label="柱状图">' + title + parts.join('') + '</svg>';
    return wrap;
  }

  /** Axis bounds on round numbers (1, 2, 2.5 or 5 × 10ⁿ apart), about four steps from lo to hi. */
  function niceAxis(min, max) {
    const rough = (max - min || 1) / 4;
    const magnitude = Math.pow(10, Math.floor(Math.log10(rough)));
    const step = [1, 2, 2.5, 5, 10].map((f) => f * magnitude).find((s) => s >= rough);
    return { lo: Math.floor(min / step) * step, hi: Math.ceil(max / step) * step, step };
  }

  function round(v) {
    return Math.round(v * 100) / 100;
  }

  window.LarkCard = { render, renderText };
})();
