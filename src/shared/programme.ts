/**
 * The 示范校 programme (000 四, PRODUCT.md capability 11): the county's demonstration-school creation rounds.
 *
 *   学区遴选 → 学校申报（申报表）→ 县教育局受理 → 创建一年（一校一案）→ 自查自评（认定标准）→ 专家实地评估认定
 *   → 授予称号 → 适时复查：合格 / 限时整改 / 撤销称号
 *
 * This module is the one place that defines the standard (认定标准, in the style of 附件4, built from the notice's
 * four key tasks plus 组织保障), the statuses with their Chinese labels, and the transition table. The cloud
 * function validates every change against it; the pages use it to show what can be done next.
 */

/** 000 二：通过三年努力，建设100所协同育人示范学校。 */
export const PROGRAMME_GOAL = 100

// ------------------------------------------------------------------------------------------------ statuses
export const APPLICATION_STATUSES = ['submitted', 'declined', 'creating', 'selfAssessed', 'certified', 'notCertified', 'rectifying', 'revoked'] as const
export type ApplicationStatus = (typeof APPLICATION_STATUSES)[number]

export const STATUS_LABELS: Record<ApplicationStatus, string> = {
  submitted: '待受理',
  declined: '未受理',
  creating: '创建中',
  selfAssessed: '已自评，待评估',
  certified: '已认定',
  notCertified: '未通过认定',
  rectifying: '限时整改',
  revoked: '已撤销称号'
}

/** What each status means for the school, in plain words. */
export const STATUS_HINTS: Record<ApplicationStatus, string> = {
  submitted: '申报表已提交，等待县教育局受理。受理前可以修改申报表。',
  declined: '本批次未受理，可在下一批次重新申报。',
  creating: '已受理，进入一年创建期。创建期满后对照认定标准开展自查自评并提交。',
  selfAssessed: '自查自评已提交，等待县教育局组织专家实地评估认定。',
  certified: '已认定为协同育人示范学校。县教育局将适时复查。',
  notCertified: '本次评估未通过认定，可在下一批次重新申报。',
  rectifying: '复查发现不符合示范标准，请在期限内完成整改，期间仍保留示范校称号。',
  revoked: '示范校称号已撤销，可在以后的批次重新申报。'
}

/** What each status means for the county bureau (the school's hints speak to the school: 受理前可以修改申报表…). */
export const BUREAU_STATUS_HINTS: Record<ApplicationStatus, string> = {
  submitted: '学校已提交申报表，请审阅后受理或不予受理。',
  declined: '已不予受理，学校可在下一批次重新申报。',
  creating: '该校处于一年创建期，创建期满后提交自查自评。',
  selfAssessed: '学校已提交自查自评，请组织专家实地评估认定。',
  certified: '已认定为协同育人示范学校，可适时复查。',
  notCertified: '本次评估未通过认定，学校可在下一批次重新申报。',
  rectifying: '已责成限时整改，期间该校仍保留称号；期限届满后请再次复查。',
  revoked: '示范校称号已撤销，该校不再计入全县示范校数量。'
}

export type StatusTone = 'grey' | 'blue' | 'orange' | 'green' | 'red'
export const STATUS_TONES: Record<ApplicationStatus, StatusTone> = {
  submitted: 'blue',
  declined: 'grey',
  creating: 'blue',
  selfAssessed: 'orange',
  certified: 'green',
  notCertified: 'grey',
  rectifying: 'orange',
  revoked: 'red'
}

/** Still in the pipeline of its round: the school may not apply elsewhere meanwhile. */
export const IN_PROGRESS: readonly ApplicationStatus[] = ['submitted', 'creating', 'selfAssessed']
/** Holds the title (a school under rectification is still certified). */
export const HOLDS_TITLE: readonly ApplicationStatus[] = ['certified', 'rectifying']

// ------------------------------------------------------------------------------------------------ transitions
/** Every change an application can go through. */
export const PROGRAMME_STEPS = [
  'apply',
  'edit',
  'accept',
  'decline',
  'saveSelfAssessment',
  'submitSelfAssessment',
  'certify',
  'notCertify',
  'recheckPass',
  'rectify',
  'revoke'
] as const
export type ProgrammeStep = (typeof PROGRAMME_STEPS)[number]

export interface Transition {
  /** statuses the step may start from (null: no application yet) */
  from: ReadonlyArray<ApplicationStatus | null>
  to: ApplicationStatus
  /** who takes the step */
  by: 'school' | 'bureau'
  /** the Chinese name of the step (history, error messages) */
  label: string
  /** kept in the application's history (draft saves are not) */
  recorded: boolean
}

export const TRANSITIONS: Record<ProgrammeStep, Transition> = {
  apply: { from: [null], to: 'submitted', by: 'school', label: '提交申报', recorded: true },
  edit: { from: ['submitted'], to: 'submitted', by: 'school', label: '修改申报表', recorded: true },
  accept: { from: ['submitted'], to: 'creating', by: 'bureau', label: '受理申报，开始创建', recorded: true },
  decline: { from: ['submitted'], to: 'declined', by: 'bureau', label: '不予受理', recorded: true },
  saveSelfAssessment: { from: ['creating'], to: 'creating', by: 'school', label: '保存自评草稿', recorded: false },
  submitSelfAssessment: { from: ['creating'], to: 'selfAssessed', by: 'school', label: '提交自查自评', recorded: true },
  certify: { from: ['selfAssessed'], to: 'certified', by: 'bureau', label: '评估认定通过，授予称号', recorded: true },
  notCertify: { from: ['selfAssessed'], to: 'notCertified', by: 'bureau', label: '评估未通过认定', recorded: true },
  recheckPass: { from: ['certified', 'rectifying'], to: 'certified', by: 'bureau', label: '复查合格', recorded: true },
  rectify: { from: ['certified', 'rectifying'], to: 'rectifying', by: 'bureau', label: '复查：责成限时整改', recorded: true },
  revoke: { from: ['certified', 'rectifying'], to: 'revoked', by: 'bureau', label: '复查：撤销示范校称号', recorded: true }
}

export function canTake(status: ApplicationStatus | null, step: ProgrammeStep): boolean {
  return TRANSITIONS[step].from.includes(status)
}

/** The status after the step, or null when the step is not allowed from this status. */
export function nextStatus(status: ApplicationStatus | null, step: ProgrammeStep): ApplicationStatus | null {
  return canTake(status, step) ? TRANSITIONS[step].to : null
}

/** Why a step is refused from a status (a plain Chinese sentence). */
export function transitionRefusal(status: ApplicationStatus | null, step: ProgrammeStep): string {
  const label = TRANSITIONS[step].label
  if (status === null) return `还没有申报，不能「${label}」`
  return `该申报当前为「${STATUS_LABELS[status]}」，不能「${label}」`
}

/** The steps possible from a status (for the pages). */
export function stepsFrom(status: ApplicationStatus | null, by?: 'school' | 'bureau'): ProgrammeStep[] {
  return PROGRAMME_STEPS.filter((s) => canTake(status, s) && (!by || TRANSITIONS[s].by === by))
}

// ------------------------------------------------------------------------------------------------ the standard
export const STANDARD_SECTIONS = [
  { key: 'org', title: '组织保障' },
  { key: 'guidance', title: '加强家庭教育指导' },
  { key: 'committee', title: '规范家长委员会建设' },
  { key: 'visits', title: '落实全员家访工作' },
  { key: 'openness', title: '加强学校开放办学' }
] as const
export type StandardSectionKey = (typeof STANDARD_SECTIONS)[number]['key']

export interface StandardItem {
  key: string
  section: StandardSectionKey
  /** short name of the item */
  title: string
  /** 评估要点: what the school must show */
  requirement: string
  /** 佐证材料: what evidence to attach */
  evidence: string
  points: number
  /** 一票否决: scoring 0 here rules out certification */
  veto?: boolean
}

/**
 * 协同育人示范学校认定标准（自查自评表）. Built from 000 三（一）–（四） and 五 1; points add up to 100.
 */
export const STANDARD_ITEMS: readonly StandardItem[] = [
  {
    key: 'org-leadership',
    section: 'org',
    title: '领导小组与工作机制',
    requirement: '成立学校家庭社会协同育人工作领导小组，将协同育人工作纳入学校整体工作，设置阶段性目标、任务和时间表。',
    evidence: '领导小组成立文件、工作计划与时间表',
    points: 5
  },
  {
    key: 'org-plan',
    section: 'org',
    title: '一校一案',
    requirement: '分析差距与不足，明确实施路径与目标，细化实施措施与方法，校本化推进，形成“一校一案”。',
    evidence: '学校创建方案（一校一案）、阶段总结',
    points: 5
  },
  {
    key: 'guidance-school',
    section: 'guidance',
    title: '家长学校建设',
    requirement: '成立家庭教育指导委员会，家长学校工作纳入单位整体工作，制定规章制度，组建家庭教育指导师队伍。',
    evidence: '指导委员会名单、家长学校章程与制度、指导师队伍名单',
    points: 5
  },
  {
    key: 'guidance-lectures',
    section: 'guidance',
    title: '家长学校授课',
    requirement: '每学期至少开展 1 次集体授课、2 次分班授课，宣传科学教育理念、重大教育政策和家庭教育知识。',
    evidence: '各学期授课安排、签到记录、课件与活动照片',
    points: 10
  },
  {
    key: 'guidance-digital-registration',
    section: 'guidance',
    title: '数字家长学校注册',
    requirement: '建立数字家校学习平台，平台家长注册比例不少于 60%。',
    evidence: '平台注册统计（家长注册率）',
    points: 6
  },
  {
    key: 'guidance-digital-learning',
    section: 'guidance',
    title: '数字家长学校学习',
    requirement: '家长在平台学习每年人均不少于 4 次。',
    evidence: '平台学习统计（人均学习次数）',
    points: 5
  },
  {
    key: 'guidance-digital-resources',
    section: 'guidance',
    title: '学习资源推荐',
    requirement: '平台每年向家长推荐家庭教育学习资源不少于 20 个。',
    evidence: '年度推荐资源清单',
    points: 4
  },
  {
    key: 'guidance-counselling',
    section: 'guidance',
    title: '家庭教育个案咨询',
    requirement: '宣传推广个案咨询服务，将咨询信息推送给每位学生家长，鼓励有需求的家长预约，提高问题发现率、解决率。',
    evidence: '咨询服务宣传与推送记录、预约与处理统计（不含个案内容）',
    points: 5
  },
  {
    key: 'committee-election',
    section: 'committee',
    title: '家长委员会规范产生',
    requirement: '遵循“自愿参与、民主推荐、大会选举”原则，班级、年级、学校家长委员会按规范程序差额或等额选举产生，任期一般 3 年。',
    evidence: '各级家委会选举程序记录与名单',
    points: 8
  },
  {
    key: 'committee-duties',
    section: 'committee',
    title: '家长委员会履行职能',
    requirement: '对学校重要决策提出意见建议并监督；为学校教育教学和校外活动提供支持与志愿服务；协助举办家长会、家长学校、家长接待日等活动。',
    evidence: '家委会会议纪要、建议与学校答复、活动记录',
    points: 6
  },
  {
    key: 'committee-no-fees',
    section: 'committee',
    title: '家长委员会规范管理',
    requirement: '制订家委会工作制度，严格家长通讯群组信息发布管理；严禁以家委会名义向家长收取费用，严禁学校或教师利用家委会名义收费、摊派、集资（一票否决）。',
    evidence: '家委会工作制度、群组管理规定、无收费承诺',
    points: 6,
    veto: true
  },
  {
    key: 'visits-plan',
    section: 'visits',
    title: '访前动员部署',
    requirement: '制定全员家访方案，组建家访队伍，召开部署动员会，开展家访培训，明确标准、流程、纪律与安全要求。',
    evidence: '家访方案、动员会与培训记录',
    points: 4
  },
  {
    key: 'visits-contact',
    section: 'visits',
    title: '每学期沟通全覆盖',
    requirement: '每学期与每位学生家长直接沟通联系至少 1 次。',
    evidence: '各学期家校联系统计（沟通覆盖率）',
    points: 6
  },
  {
    key: 'visits-home',
    section: 'visits',
    title: '三年入户家访',
    requirement: '关注重点家访对象，原则上三年内对每位学生入户家访 1 次。',
    evidence: '入户家访统计（三年覆盖进度）',
    points: 5
  },
  {
    key: 'visits-archive',
    section: 'visits',
    title: '访后建档帮扶',
    requirement: '家访记录做到“一人一档”；建立留守儿童、特殊学生名册，实施跟踪随访，开展解困帮扶。',
    evidence: '学生家访档案样例（隐去敏感信息）、特殊学生名册统计与随访记录',
    points: 5
  },
  {
    key: 'openness-bases',
    section: 'openness',
    title: '社会实践教育基地',
    requirement: '建立相对稳定的劳动教育、实践活动、志愿服务、法治教育、安全教育、研学活动等基地，邀请劳动模范、道德模范、时代楷模等进校宣讲。',
    evidence: '基地协议或挂牌照片、活动记录',
    points: 5
  },
  {
    key: 'openness-days',
    section: 'openness',
    title: '校园开放活动',
    requirement: '落实家长会、学校开放日、家长接待日等制度，展示办学理念、特色和成果。',
    evidence: '开放日、接待日安排与记录',
    points: 5
  },
  {
    key: 'openness-volunteers',
    section: 'openness',
    title: '家长志愿者队伍',
    requirement: '组建各类家长志愿者队伍，参与学校教育教学，为学生活动提供志愿服务。',
    evidence: '志愿者队伍名单、服务记录与时长',
    points: 5
  }
]

export const ITEM_KEYS = STANDARD_ITEMS.map((i) => i.key)
export const STANDARD_TOTAL = STANDARD_ITEMS.reduce((n, i) => n + i.points, 0)
/** 建议认定线：总分达到此分且无一票否决项，专家组可认定通过（由县教育局最终决定）。 */
export const SUGGESTED_PASS_SCORE = 85

const ITEM_BY_KEY = new Map(STANDARD_ITEMS.map((i) => [i.key, i]))
export function standardItem(key: string): StandardItem | undefined {
  return ITEM_BY_KEY.get(key)
}

export function sectionTitle(key: StandardSectionKey): string {
  return STANDARD_SECTIONS.find((s) => s.key === key)?.title ?? ''
}

/** Sum of the scores given (items without a score count 0). */
export function scoreTotal(items: ReadonlyArray<{ score?: number | null }>): number {
  return items.reduce((n, i) => n + (typeof i.score === 'number' ? i.score : 0), 0)
}

/** The standard's items that have no score in the list. */
export function unscoredItems(items: ReadonlyArray<{ key: string; score?: number | null }>): StandardItem[] {
  const scored = new Set(items.filter((i) => typeof i.score === 'number').map((i) => i.key))
  return STANDARD_ITEMS.filter((i) => !scored.has(i.key))
}

/** Why a self-assessment cannot be submitted yet because items have no score (null: every item is scored). */
export function unscoredRefusal(items: ReadonlyArray<{ key: string; score?: number | null }>): string | null {
  const missing = unscoredItems(items)
  return missing.length ? `还有 ${missing.length} 项没有自评打分：${missing.map((i) => `「${i.title}」`).join('、')}` : null
}

/** The veto items scored 0 (certification is then ruled out). */
export function vetoFailures(items: ReadonlyArray<{ key: string; score?: number | null }>): StandardItem[] {
  return STANDARD_ITEMS.filter((i) => i.veto && items.some((x) => x.key === i.key && x.score === 0))
}

// ------------------------------------------------------------------------------------------------ the form
export const LIMITS = {
  roundName: 40,
  roundNotes: 500,
  leaderName: 20,
  basis: 1000,
  goals: 1000,
  plan: 2000,
  /** the minimum of each long text of the form */
  textMin: 10,
  itemNote: 300,
  comment: 1000,
  reason: 200,
  evidencePerItem: 6,
  fileName: 80
} as const

/** 手机号，或带区号的固定电话（0577-63886337），或 7–8 位本地号码。 */
export const PHONE_PATTERN = /^(?:1[3-9]\d{9}|0\d{2,3}-?\d{7,8}|\d{7,8})$/

/** 13812345678 → 138****5678; 0577-63886337 → 0577-****6337; 63886337 → ****6337. */
export function maskContactPhone(phone: string): string {
  const p = phone.trim()
  if (/^1\d{10}$/.test(p)) return `${p.slice(0, 3)}****${p.slice(7)}`
  const m = /^(0\d{2,3}-?)(\d+)$/.exec(p)
  if (m) return `${m[1]}${'*'.repeat(Math.max(0, m[2].length - 4))}${m[2].slice(-4)}`
  return `${'*'.repeat(Math.max(0, p.length - 4))}${p.slice(-4)}`
}

// ------------------------------------------------------------------------------------------------ evidence files
export const IMAGE_EXTENSIONS = ['jpg', 'jpeg', 'png', 'webp', 'gif', 'heic'] as const
export const DOCUMENT_EXTENSIONS = ['pdf', 'doc', 'docx', 'xls', 'xlsx', 'ppt', 'pptx'] as const
export type EvidenceKind = 'image' | 'document'

export function extensionOf(name: string): string {
  const m = /\.([A-Za-z0-9]+)$/.exec(name)
  return m ? m[1].toLowerCase() : ''
}

export function evidenceKind(name: string): EvidenceKind | null {
  const ext = extensionOf(name)
  if ((IMAGE_EXTENSIONS as readonly string[]).includes(ext)) return 'image'
  if ((DOCUMENT_EXTENSIONS as readonly string[]).includes(ext)) return 'document'
  return null
}

/** What may be uploaded as evidence, in the words a user reads. */
export const EVIDENCE_FORMATS_TEXT = `图片（${IMAGE_EXTENSIONS.join('、')}）或文档（${DOCUMENT_EXTENSIONS.join('、')}）`

/**
 * The last segment of an evidence file's cloud path: `<stamp>-<n>-<the name made safe>`. Characters a path cannot
 * hold become `_`, runs of dots one dot, and only the last 60 characters are kept, so the extension survives.
 */
export function evidenceUploadName(name: string, stamp: number, n: number): string {
  const safe = name.trim().replace(/[\\/\s?#%*:|"<>]+/g, '_').replace(/\.{2,}/g, '.').slice(-60)
  return `${stamp}-${n}-${safe}`
}

/**
 * Why a picked file cannot be evidence (null: it can). The rule the server applies to the uploaded fileID
 * (isEvidenceFileID: an image or document extension), checked on the phone before anything is uploaded.
 */
export function evidenceRefusal(name: string): string | null {
  if (evidenceKind(evidenceUploadName(name, 0, 0)) !== null) return null
  return `「${name}」不是图片或文档，不能作为佐证材料。请上传${EVIDENCE_FORMATS_TEXT}`
}

/** The name shown for an evidence file: at most LIMITS.fileName characters, keeping the extension. */
export function evidenceDisplayName(name: string): string {
  const n = name.trim()
  if (n.length <= LIMITS.fileName) return n
  const ext = extensionOf(n)
  const keep = LIMITS.fileName - ext.length - 2
  return `${n.slice(0, keep)}…${ext ? `.${ext}` : ''}`
}

/** The folder a school's evidence is uploaded to (the client puts files there; the server accepts only these). */
export function evidenceFolder(schoolId: string): string {
  return `programme/${schoolId}`
}

/**
 * Whether a fileID is one of the school's evidence uploads: `cloud://<env>/programme/<schoolId>/<file>`, or in the
 * H5 preview `cloud://<env>/user-uploads/<16 hex>/programme/<schoolId>/<file>`. Files made by the functions
 * (exports, templates) or another school's uploads never pass.
 */
export function isEvidenceFileID(fileID: string, schoolId: string): boolean {
  const m = /^cloud:\/\/[^/\s]+\/(.+)$/.exec(fileID)
  if (!m) return false
  const rest = m[1].replace(/^user-uploads\/[0-9a-f]{16}\//, '')
  const prefix = `${evidenceFolder(schoolId)}/`
  if (!rest.startsWith(prefix)) return false
  const file = rest.slice(prefix.length)
  return file.length > 0 && !file.includes('/') && !file.includes('..') && evidenceKind(file) !== null
}

// ------------------------------------------------------------------------------------------------ dates
/** A calendar day 'YYYY-MM-DD' is valid (no 2月30日). */
export function isValidDay(day: string): boolean {
  const m = /^(\d{4})-(\d{2})-(\d{2})$/.exec(day)
  if (!m) return false
  const d = new Date(Date.UTC(+m[1], +m[2] - 1, +m[3]))
  return d.getUTCFullYear() === +m[1] && d.getUTCMonth() === +m[2] - 1 && d.getUTCDate() === +m[3]
}

/** The instant a day ends in Shanghai (the next day's midnight, +08:00), as epoch ms. */
export function endOfShanghaiDay(day: string): number {
  const [y, m, d] = day.split('-').map(Number)
  return Date.UTC(y, m - 1, d + 1) - 8 * 3600_000
}

/** The Shanghai calendar day of an instant (YYYY-MM-DD). */
export function shanghaiDay(at: number): string {
  return new Date(at + 8 * 3600_000).toISOString().slice(0, 10)
}

/** The creation period is one year from acceptance (一年创建期满). */
export function creationEndsAt(acceptedAt: number): number {
  const d = new Date(acceptedAt + 8 * 3600_000)
  d.setUTCFullYear(d.getUTCFullYear() + 1)
  return d.getTime() - 8 * 3600_000
}

/** 'YYYY-MM-DD' → 'YYYY年M月D日' (as the pages show dates). */
export function chineseDay(day: string): string {
  const [y, m, d] = day.split('-').map(Number)
  return `${y}年${m}月${d}日`
}

/**
 * The self-assessment may be submitted from the start of the day the creation year ends (Shanghai): the day the
 * pages show as 创建期满. Drafts may be saved before.
 */
export function selfAssessmentOpensAt(acceptedAt: number): number {
  return endOfShanghaiDay(shanghaiDay(creationEndsAt(acceptedAt))) - 24 * 3600_000
}

/** Why the self-assessment cannot be submitted yet (null: it can), naming the day the creation year ends. */
export function selfAssessmentTooEarly(acceptedAt: number | null, now: number): string | null {
  if (acceptedAt === null) return null
  const opens = selfAssessmentOpensAt(acceptedAt)
  if (now >= opens) return null
  return `一年创建期满（${chineseDay(shanghaiDay(opens))}）后才能提交自查自评，在此之前可以继续填写、保存草稿`
}

/**
 * Why a day typed as YYYY-MM-DD cannot be a deadline (null: it can): its format, the calendar, and not before
 * today (Shanghai). The same sentences as the contract's date fields, so the phone can check before asking.
 */
export function deadlineProblem(what: string, day: string, now: number): string | null {
  const d = day.trim()
  if (!d) return `请填写${what}`
  if (!/^\d{4}-\d{2}-\d{2}$/.test(d)) return `${what}格式应为 YYYY-MM-DD，例如 2026-03-01`
  if (!isValidDay(d)) return `${what}不是有效的日期`
  if (endOfShanghaiDay(d) <= now) return `${what}不能早于今天`
  return null
}

/** What a new application has not got yet (every field of a later step, empty): the server and the demo data start from it. */
export function freshApplication() {
  return {
    declineReason: null,
    acceptedAt: null,
    selfAssessment: null,
    selfTotal: null,
    evaluation: null,
    expertTotal: null,
    rechecks: [] as never[],
    rectifyDeadline: null,
    certifiedAt: null,
    revokedAt: null
  }
}
