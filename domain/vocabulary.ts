/**
 * The county's words, as the code names them (../shared/GLOSSARY.md): the rules own them, and the
 * database schema builds its column types from them.
 */

/** 干部, 单位负责人 (一把手), 包抓县级领导, 招商服务中心, 督查组, 管理员. */
export const personRoles = ['official', 'unit_head', 'leader', 'coordinator', 'supervisor', 'admin'] as const;
export type PersonRole = (typeof personRoles)[number];

/** 线索 → 洽谈 → 签约 → 开工 → 投产 → 达产, and 搁置 / 流失 beside them. */
export const projectStages = ['lead', 'negotiating', 'signed', 'started', 'producing', 'at_capacity', 'paused', 'lost'] as const;
export type ProjectStage = (typeof projectStages)[number];

/** 关键时间节点: 签约, 开工, 投产, 达产, or one the officials name. */
export const milestoneKinds = ['signed', 'started', 'producing', 'at_capacity', 'custom'] as const;
export type MilestoneKind = (typeof milestoneKinds)[number];
