/**
 * The target registry: every target of PRODUCT.md (T1–T17) declared once — what it measures, its policy source,
 * the period it is counted over, its threshold, and the formula over the collections — and read by the `stats`
 * cloud function (monthly snapshots), the dashboards, the Excel exports, the annual report and the tests alike.
 *
 * A formula has two halves:
 * - `count`: one aggregation over one collection, grouped by class, school or county. `match` selects the
 *   records of the window (plain MongoDB query syntax, translated to the SDK's commands on the server), `stages`
 *   may join and reshape each record, and `counters` are per-record expressions summed per group. Every counter
 *   is additive, so class rows add up to the school and schools to the county.
 * - `evaluate`: the target's value from those sums (a share, a count, a rate).
 *
 * Adding a target is adding one entry here plus its test. The statistics function, the dashboards and the
 * exports pick it up from `TARGETS`.
 */
import { schoolYearOf, schoolYearStarting, semesterOf, monthOf, type DateInput } from './calendar'
import { DAY_MS, HOME_VISIT, homeVisitPace, homeVisitWindowStart } from './visits'

export type TargetId = 'T1' | 'T2' | 'T3' | 'T4' | 'T5' | 'T6' | 'T7' | 'T8' | 'T9' | 'T10' | 'T11' | 'T12' | 'T13' | 'T14' | 'T15' | 'T16' | 'T17'
/** The span a target is counted over, ending with the snapshot's month. */
export type PeriodKind = 'month' | 'semester' | 'schoolYear' | 'cycle3' | 'years3'
/** Where a target is computed: per class, per school, for the whole county. */
export type Level = 'class' | 'school' | 'county'
export type Unit = 'percent' | 'count' | 'perGuardian'

/** One computed target at one level for one month. */
export interface TargetValue {
  /** the value in its unit (a share 0–1 for percent); null when there is nothing to divide by */
  value: number | null
  numerator: number
  /** the denominator of a share or rate; null for plain counts */
  denominator: number | null
  /** whether the threshold is met; null when there is no value */
  met: boolean | null
}

/** The time window a snapshot evaluates a target over: [from, at). `at` is the month's end, or now for the running month. */
export interface TargetWindow {
  /** the snapshot month, YYYY-MM */
  month: string
  from: Date
  at: Date
}

type Query = Record<string, unknown>
type Stage = Record<string, unknown>

export interface CountSpec {
  collection: string
  /** the grouping: per class (records carry classId and schoolId), per school (schoolId) or per county (countyId) */
  by: Level
  /** the records counted, as of the window (a MongoDB query; Dates compare as dates) */
  match: (w: TargetWindow) => Query
  /** optional per-record stages after the match ($lookup, $project, $group…); the output must keep the grouping fields */
  stages?: (w: TargetWindow) => Stage[]
  /** counter name → per-record aggregation expression (1 counts the record); summed per group */
  counters: (w: TargetWindow) => Record<string, unknown>
}

export interface TargetDef {
  id: TargetId
  /** short Chinese name for tiles and headers */
  name: string
  /** what is counted, in one Chinese sentence */
  definition: string
  /** the policy source as people read it: the county notice or the 教联体 plan, the clause, what it says */
  source: string
  period: PeriodKind
  unit: Unit
  /** what a count counts (所, 次…), shown after the number */
  suffix?: string
  /** the target: the value must be at least `min` */
  threshold: { min: number; label: string }
  /** the levels the target is shown at (a county-wide target has no class or school value) */
  levels: Level[]
  count: CountSpec
  /** the value from the summed counters */
  evaluate: (c: Record<string, number>) => Omit<TargetValue, 'met'>
  /** the records behind a gap, listed for a class (only where the role may see them): the counter that is 0 for them */
  gap?: { counter: string; label: string; /** where a listed student opens: their visit file (一人一档) */ opens?: 'visitFile' }
  /** the value expected by this point of a multi-year target, for "on pace" displays */
  pace?: (at: number) => number
  /** which span the pace is measured over, in words */
  paceNote?: string
  /** met when the value reaches the pace expected by the snapshot's instant (not the final threshold) */
  metByPace?: boolean
}

/**
 * The two policy documents (../shared/seeds): the county's notice (000, 县教育局 + 县妇联, 2024-02-02) and the
 * 教联体 plan a school sent its parents (004). Sources are written with their short titles.
 */
export const POLICY = { notice: '《关于加强学校家庭社会协同育人的通知》', plan: '《家校社协同育人“教联体”工作方案》' } as const

/** The 示范校 programme (000 四): 100 demonstration schools in three years from the notice. */
export const PROGRAMME = { goal: 100, start: Date.parse('2024-03-01T00:00:00+08:00'), end: Date.parse('2027-03-01T00:00:00+08:00') }

const share = (num: number, den: number): Omit<TargetValue, 'met'> => ({ value: den > 0 ? num / den : null, numerator: num, denominator: den })
const count = (n: number): Omit<TargetValue, 'met'> => ({ value: n, numerator: n, denominator: null })

/** Whether any element of a joined array meets all conditions; records written by a client (with _openid) never do. */
const hasAny = (input: string, as: string, conditions: unknown[]) => ({
  $gt: [{ $size: { $filter: { input, as, cond: { $and: [{ $not: [`$$${as}._openid`] }, ...conditions] } } } }, 0]
})

/** A student's class at an instant (the end of a period): the first earlier class not yet left then, else the current one. */
const classAt = (at: Date) => ({
  $ifNull: [
    { $arrayElemAt: [{ $map: { input: { $filter: { input: { $ifNull: ['$classHistory', []] }, as: 'h', cond: { $gte: ['$$h.until', at] } } }, as: 'h', in: '$$h.classId' } }, 0] },
    '$classId'
  ]
})

/** Enrolled at the instant: on the roll (created before it, or undated) and not left before it. */
const enrolledAt = (at: Date): Query => ({
  _openid: { $exists: false },
  $and: [{ $or: [{ createdAt: { $lt: at } }, { createdAt: { $exists: false } }] }, { $or: [{ status: 'enrolled' }, { leftAt: { $gte: at } }] }]
})

/** The first instants of the semester, and of the last three years, a month's window reaches back to. */
const semesterStartOf = (w: TargetWindow) => new Date(semesterOf(monthOf(`${w.month}-01`).start).start)
const homeVisitStartOf = (w: TargetWindow) => new Date(homeVisitWindowStart(w.at.getTime()))

/**
 * T6 and T7 in one aggregation (the rollup runs a count shared by several targets once): every enrolled student
 * with their contact and visit records. The counters take their spans from the month, not from `w.from`, so they
 * are right whichever of the two targets' windows is passed.
 */
const VISIT_COVERAGE: CountSpec = {
  collection: 'students',
  by: 'class',
  match: (w) => enrolledAt(w.at),
  stages: (w) => [
    { $addFields: { classId: classAt(w.at) } },
    { $lookup: { from: 'visitRecords', localField: '_id', foreignField: 'studentId', as: 'visits' } }
  ],
  counters: (w) => {
    const before = { $lt: ['$$v.date', w.at] }
    return {
      enrolled: 1,
      contacted: { $cond: [hasAny('$visits', 'v', [{ $gte: ['$$v.date', semesterStartOf(w)] }, before]), 1, 0] },
      homeVisited: { $cond: [hasAny('$visits', 'v', [{ $eq: ['$$v.type', HOME_VISIT] }, { $gte: ['$$v.date', homeVisitStartOf(w)] }, before]), 1, 0] }
    }
  }
}

export const TARGETS: readonly TargetDef[] = [
  {
    id: 'T1',
    name: '家长注册率',
    definition: '至少有一位已绑定家长的在籍学生 ÷ 在籍学生（月末时点）',
    source: `${POLICY.notice}三(一)2：平台家长注册比例不少于60%`,
    period: 'month',
    unit: 'percent',
    threshold: { min: 0.6, label: '≥ 60%' },
    levels: ['class', 'school', 'county'],
    count: {
      collection: 'students',
      by: 'class',
      match: (w) => enrolledAt(w.at),
      stages: (w) => [
        // the class the student was in at the instant (a later move or promotion is in classHistory, oldest first)
        { $addFields: { classId: classAt(w.at) } },
        { $lookup: { from: 'memberships', localField: '_id', foreignField: 'studentId', as: 'guardians' } },
        // bindings that ended earlier (a guardian who unbound and bound again has one record, and its past periods here)
        { $lookup: { from: 'bindingPeriods', localField: '_id', foreignField: 'studentId', as: 'pastBindings' } }
      ],
      counters: (w) => ({
        enrolled: 1,
        withGuardian: {
          $cond: [
            {
              $or: [
                // a binding active at the instant: started before it (an undated one counts as always there —
                // MongoDB and mingo agree only with $ifNull) and not ended before it
                hasAny('$guardians', 'g', [
                  { $eq: ['$$g.role', 'guardian'] },
                  { $lt: [{ $ifNull: ['$$g.createdAt', new Date(0)] }, w.at] },
                  { $or: [{ $eq: ['$$g.status', 'active'] }, { $gte: ['$$g.endedAt', w.at] }] }
                ]),
                // or an earlier period of a binding covering the instant
                hasAny('$pastBindings', 'p', [{ $lt: [{ $ifNull: ['$$p.from', new Date(0)] }, w.at] }, { $gte: ['$$p.to', w.at] }])
              ]
            },
            1,
            0
          ]
        }
      })
    },
    evaluate: (c) => share(c.withGuardian ?? 0, c.enrolled ?? 0),
    gap: { counter: 'withGuardian', label: '尚无家长绑定的学生' }
  },
  {
    id: 'T6',
    name: '家校联系覆盖率',
    definition: '本学期与家长至少直接联系 1 次（入户家访、到校约谈、电话、视频、微信）的在籍学生 ÷ 在籍学生',
    source: `${POLICY.notice}三(三)2：每学期与每位学生家长直接沟通联系至少1次`,
    period: 'semester',
    unit: 'percent',
    threshold: { min: 1, label: '100%' },
    levels: ['class', 'school', 'county'],
    count: VISIT_COVERAGE,
    evaluate: (c) => share(c.contacted ?? 0, c.enrolled ?? 0),
    gap: { counter: 'contacted', label: '本学期尚未联系的学生', opens: 'visitFile' }
  },
  {
    id: 'T7',
    name: '入户家访覆盖率',
    definition: '近三年内有入户家访记录的在籍学生 ÷ 在籍学生，对照三年周期的进度',
    source: `${POLICY.notice}三(三)2：原则上三年内对每位学生入户家访1次`,
    period: 'years3',
    unit: 'percent',
    threshold: { min: 1, label: '三年 100%' },
    levels: ['class', 'school', 'county'],
    count: VISIT_COVERAGE,
    evaluate: (c) => share(c.homeVisited ?? 0, c.enrolled ?? 0),
    gap: { counter: 'homeVisited', label: '三年内尚未入户家访的学生', opens: 'visitFile' },
    paceNote: '2024年9月起三年家访周期的进度',
    pace: homeVisitPace,
    metByPace: true
  },
  {
    id: 'T8',
    name: '特殊学生随访率',
    definition: '在随访间隔内得到跟踪随访的留守儿童和特殊学生 ÷ 名册在册学生（月末时点）',
    source: `${POLICY.notice}三(三)3：建立留守儿童、特殊学生名册，实施跟踪随访`,
    period: 'month',
    unit: 'percent',
    threshold: { min: 1, label: '100%' },
    levels: ['class', 'school', 'county'],
    count: {
      collection: 'specialRegistry',
      by: 'class',
      match: (w) => ({
        _openid: { $exists: false },
        registeredAt: { $lt: w.at },
        $or: [{ endedAt: { $exists: false } }, { endedAt: null }, { endedAt: { $gte: w.at } }]
      }),
      stages: (w) => [
        { $lookup: { from: 'students', localField: 'studentId', foreignField: '_id', as: 'student' } },
        { $addFields: { student: { $arrayElemAt: ['$student', 0] } } },
        // the class the student was in at the instant, as for every target counted per student
        { $addFields: { classHistory: { $ifNull: ['$student.classHistory', []] }, classId: { $ifNull: ['$student.classId', '$classId'] } } },
        { $addFields: { classId: classAt(w.at) } },
        { $lookup: { from: 'visitRecords', localField: 'studentId', foreignField: 'studentId', as: 'visits' } }
      ],
      counters: (w) => {
        // still on the roll at the instant (a student who left is no longer followed up by the school)
        const enrolled = {
          $and: [
            { $lt: [{ $ifNull: ['$student.createdAt', new Date(0)] }, w.at] },
            { $or: [{ $eq: ['$student.status', 'enrolled'] }, { $gte: ['$student.leftAt', w.at] }] }
          ]
        }
        // the last contact before the instant (records written by a client never count)
        const lastContact = {
          $max: {
            $map: {
              input: { $filter: { input: '$visits', as: 'v', cond: { $and: [{ $not: ['$$v._openid'] }, { $lt: ['$$v.date', w.at] }] } } },
              as: 'v',
              in: '$$v.date'
            }
          }
        }
        // followed up within the interval: not overdue at the instant (isOverdue: from one day after the due instant)
        const inTime = { $gt: [{ $add: [{ $max: ['$registeredAt', lastContact] }, { $multiply: ['$intervalDays', DAY_MS] }, DAY_MS] }, w.at] }
        return { registered: { $cond: [enrolled, 1, 0] }, followedUp: { $cond: [{ $and: [enrolled, inTime] }, 1, 0] } }
      }
    },
    evaluate: (c) => share(c.followedUp ?? 0, c.registered ?? 0)
  },
  {
    id: 'T17',
    name: '示范校',
    definition: '全县已认定（未被撤销）的协同育人示范学校数',
    source: `${POLICY.notice}二、四：通过三年努力，建设100所协同育人示范学校`,
    period: 'cycle3',
    unit: 'count',
    suffix: '所',
    threshold: { min: PROGRAMME.goal, label: '3 年 100 所' },
    levels: ['county'],
    count: {
      collection: 'programmeApplications',
      by: 'county',
      match: (w) => ({
        _openid: { $exists: false },
        certifiedAt: { $lt: w.at },
        $or: [{ revokedAt: { $exists: false } }, { revokedAt: null }, { revokedAt: { $gte: w.at } }]
      }),
      // a school certified in two rounds (after a revocation) counts once
      stages: () => [{ $group: { _id: '$schoolId', countyId: { $first: '$countyId' } } }],
      counters: () => ({ certified: 1 })
    },
    evaluate: (c) => count(c.certified ?? 0),
    paceNote: '2024年3月至2027年2月的三年建设进度',
    pace: (at) => Math.min(PROGRAMME.goal, Math.max(0, Math.round((PROGRAMME.goal * (at - PROGRAMME.start)) / (PROGRAMME.end - PROGRAMME.start))))
  }
]

export const TARGET_IDS = TARGETS.map((t) => t.id)

export function targetById(id: string): TargetDef | undefined {
  return TARGETS.find((t) => t.id === id)
}

export function targetsAt(level: Level): TargetDef[] {
  return TARGETS.filter((t) => t.levels.includes(level))
}

/**
 * The full value of a target from summed counters, with the threshold applied — or, for a target judged by its
 * pace (T7), the value expected at `at` (the instant the counters were taken).
 */
export function evaluateTarget(def: TargetDef, counters: Record<string, number>, at?: number): TargetValue {
  const v = def.evaluate(counters)
  const min = def.metByPace && def.pace && at !== undefined ? def.pace(at) : def.threshold.min
  return { ...v, met: v.value === null ? null : v.value >= min - 1e-9 }
}

/** The window a target is counted over for a month, as of `now` (the running month ends now). */
export function windowOf(def: Pick<TargetDef, 'period'>, month: string, now: DateInput = Date.now()): TargetWindow {
  const m = monthOf(`${month}-01`)
  const nowMs = typeof now === 'number' ? now : new Date(now).getTime()
  const at = Math.min(m.end, Math.max(m.start, nowMs))
  let from: number
  switch (def.period) {
    case 'month':
      from = m.start
      break
    case 'semester':
      from = semesterOf(m.start).start
      break
    case 'schoolYear':
      from = schoolYearOf(m.start).start
      break
    case 'cycle3':
      from = schoolYearStarting(schoolYearOf(m.start).startYear - 2).start
      break
    case 'years3':
      from = homeVisitWindowStart(at)
      break
  }
  return { month: m.id, from: new Date(from), at: new Date(at) }
}

/** Adds counters (class rows into a school, schools into the county). */
export function addCounters(into: Record<string, number>, more: Record<string, number> | undefined): Record<string, number> {
  for (const [k, v] of Object.entries(more ?? {})) into[k] = (into[k] ?? 0) + (typeof v === 'number' ? v : 0)
  return into
}

/** A value for people: 62.5% / 12 所 / 3.4 次; — when there is none. */
export function formatTargetValue(def: Pick<TargetDef, 'unit' | 'suffix'>, value: number | null | undefined): string {
  if (value === null || value === undefined || !Number.isFinite(value)) return '—'
  switch (def.unit) {
    case 'percent':
      return `${(Math.round(value * 1000) / 10).toFixed(1)}%`
    case 'perGuardian':
      return `${(Math.round(value * 10) / 10).toFixed(1)} 次`
    default:
      return `${Math.round(value * 10) / 10}${def.suffix ? ` ${def.suffix}` : ''}`
  }
}

export const PERIOD_LABELS: Record<PeriodKind, string> = { month: '月末时点', semester: '本学期', schoolYear: '本学年', cycle3: '三年周期', years3: '近三年' }

