/**
 * Demo data for the H5 preview, the end-to-end tests and the benchmarks: one county with 3 schools, 30 classes,
 * ~1,200 students, their guardians, teachers, counsellors, school admins and bureau staff. Deterministic (seeded
 * PRNG), so every run and every machine sees the same county. All names are invented.
 */
import { CONSENT_VERSION } from '@/shared/consent'
import { DEFAULT_CALENDAR, dayKey } from '@/shared/calendar'
import { freshApplication, STANDARD_ITEMS } from '@/shared/programme'
import type { DemoUser } from '@/shared/preview'
import type { GuardianRelation, Role } from '@/shared/roles'
import { CONTACT_TYPES, DAY_MS, dayStart, planSemester } from '@/shared/visits'
import { freshSlotState } from '@/shared/counselling'

export type { DemoUser }

export interface DemoData {
  collections: Record<string, Array<Record<string, unknown>>>
  demoUsers: DemoUser[]
}

/** mulberry32: a tiny deterministic PRNG. */
function prng(seed: number) {
  let a = seed >>> 0
  return () => {
    a = (a + 0x6d2b79f5) >>> 0
    let t = a
    t = Math.imul(t ^ (t >>> 15), t | 1)
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61)
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296
  }
}

const SURNAMES = '王李张刘陈杨黄赵吴周徐孙马朱胡郭何林罗高郑梁谢宋唐许韩冯邓曹彭曾肖田董潘袁蔡蒋余于杜叶程魏苏吕丁任卢姚沈钟姜崔谭陆范汪廖石金韦贾夏付方邹熊白孟秦邱侯江尹薛闫段雷龙黎史陶贺毛郝顾龚邵万覃武钱戴严莫孔向常汤康易乔赖文'
const GIVEN = '子涵梓轩浩然一诺欣怡宇航思彤雨泽佳怡俊熙语桐沐阳若曦皓轩诗涵博文可馨嘉懿明哲雅琪晨曦天佑梦瑶奕辰书瑶家乐静怡'
const ADULT_GIVEN = '建国秀英丽华志强海燕玉兰伟明春梅国平淑芬红霞德明桂芳永红晓东美玲立新卫东爱华振华'

const COUNTY_ID = 'county-pingyang'

interface SchoolPlan {
  id: string
  name: string
  type: '小学' | '初中' | '幼儿园'
  district: string
  code: string
  grades: Array<{ grade: string; classes: number }>
  perClass: number
}

const SCHOOLS: SchoolPlan[] = [
  {
    id: 'school-chengguan-primary',
    name: '城关第一小学',
    type: '小学',
    district: '城关学区',
    code: 'CG1X',
    grades: ['一年级', '二年级', '三年级', '四年级', '五年级', '六年级'].map((grade) => ({ grade, classes: 2 })),
    perClass: 42
  },
  {
    id: 'school-nanhu-middle',
    name: '南湖初级中学',
    type: '初中',
    district: '南湖学区',
    code: 'NHZX',
    grades: ['七年级', '八年级', '九年级'].map((grade) => ({ grade, classes: 4 })),
    perClass: 44
  },
  {
    id: 'school-qingshan-kindergarten',
    name: '青山幼儿园',
    type: '幼儿园',
    district: '城关学区',
    code: 'QSYE',
    grades: ['小班', '中班', '大班'].map((grade) => ({ grade, classes: 2 })),
    perClass: 26
  }
]

const RELATIONS: GuardianRelation[] = ['母亲', '父亲', '母亲', '父亲', '祖父母', '外祖父母']

/** the grades whose pupils are new this school year */
const FIRST_GRADES = ['一年级', '七年级', '小班']
/** the bureau's demo user (the preview computes the past year's statistics as them) */
export const DEMO_BUREAU = 'demo-bureau'

/**
 * `now` fixes the roster and the programme (so the statistics' history is the same on every machine); `today` is
 * when the preview runs: the home-visit plan and records are for its semester, so "my work" is never stale.
 */
export function buildDemoData(now: Date = new Date('2026-11-01T08:00:00+08:00'), today: number = Date.now()): DemoData {
  const rand = prng(20261123)
  const pick = <T,>(s: ArrayLike<T>) => s[Math.floor(rand() * s.length)]
  const childName = () => `${pick(SURNAMES)}${pick(GIVEN)}${rand() < 0.6 ? pick(GIVEN) : ''}`
  const adultName = (surname?: string) => `${surname ?? pick(SURNAMES)}${pick(ADULT_GIVEN)}${pick(ADULT_GIVEN)}`

  const counties = [{ _id: COUNTY_ID, name: '平阳县', calendar: DEFAULT_CALENDAR, createdAt: now }]
  const schools: Array<Record<string, unknown>> = []
  const classes: Array<Record<string, unknown>> = []
  const students: Array<Record<string, unknown>> = []
  const users: Array<Record<string, unknown>> = []
  const memberships: Array<Record<string, unknown>> = []
  const demoUsers: DemoUser[] = []

  const accepted = { status: 'accepted', version: CONSENT_VERSION, at: now }
  const addUser = (openid: string, displayName: string, opts: { consent?: unknown; largeText?: boolean } = {}) => {
    users.push({
      _id: openid,
      openid,
      displayName,
      consent: opts.consent ?? { status: 'none', version: null, at: null },
      preferences: { largeText: opts.largeText === true },
      createdAt: now,
      updatedAt: now
    })
  }
  let membershipSeq = 0
  const grant = (openid: string, role: Role, school: SchoolPlan | null, extra: Record<string, unknown> = {}) => {
    ++membershipSeq
    memberships.push({
      // A guardian's binding is keyed by (guardian, child), as the binding function writes it.
      _id: role === 'guardian' && extra.studentId ? `g_${openid}_${String(extra.studentId)}` : `m-${String(membershipSeq).padStart(5, '0')}`,
      openid,
      role,
      status: 'active',
      countyId: COUNTY_ID,
      countyName: '平阳县',
      ...(school ? { schoolId: school.id, schoolName: school.name } : {}),
      createdAt: now,
      ...extra
    })
  }

  for (const [si, school] of SCHOOLS.entries()) {
    schools.push({ _id: school.id, countyId: COUNTY_ID, name: school.name, type: school.type, district: school.district, code: school.code, createdAt: now })

    // School admin (principal) and the school's counsellor.
    const adminOpenid = `demo-admin-${si + 1}`
    const adminName = adultName()
    addUser(adminOpenid, adminName)
    grant(adminOpenid, 'schoolAdmin', school)
    demoUsers.push({ openid: adminOpenid, name: `${adminName}（校长）`, roleLabel: '学校管理员', description: school.name })

    const counsellorOpenid = `demo-counsellor-${si + 1}`
    const counsellorName = adultName()
    addUser(counsellorOpenid, counsellorName)
    grant(counsellorOpenid, 'counsellor', school)
    if (si === 0) demoUsers.push({ openid: counsellorOpenid, name: counsellorName, roleLabel: '家庭教育指导师', description: `${school.name} · 家庭教育指导师` })

    let classNo = 0
    for (const { grade, classes: n } of school.grades) {
      for (let c = 1; c <= n; c++) {
        classNo++
        const classId = `${school.id}-c${String(classNo).padStart(2, '0')}`
        const className = `${grade}（${c}）班`
        classes.push({
          _id: classId,
          schoolId: school.id,
          countyId: COUNTY_ID,
          grade,
          name: className,
          code: `${school.code}${String(classNo).padStart(2, '0')}`,
          createdAt: now
        })

        // The head teacher of the class.
        const teacherOpenid = `demo-teacher-${si + 1}-${classNo}`
        const teacherName = adultName()
        addUser(teacherOpenid, teacherName)
        grant(teacherOpenid, 'teacher', school, { classIds: [classId], headTeacherOf: [classId] })
        if (si === 0 && classNo === 1) {
          demoUsers.push({ openid: teacherOpenid, name: `${teacherName}（班主任）`, roleLabel: '教师', description: `${school.name} · ${className}` })
        }

        // first-year classes started this September; the others were on the roll a year before
        const enrolledOn = new Date(`${FIRST_GRADES.includes(grade) ? 2026 : 2025}-08-25T09:00:00+08:00`)
        for (let k = 1; k <= school.perClass + Math.floor(rand() * 5) - 2; k++) {
          const studentId = `${classId}-s${String(k).padStart(2, '0')}`
          const name = childName()
          students.push({
            _id: studentId,
            schoolId: school.id,
            schoolName: school.name,
            classId,
            className,
            classCode: `${school.code}${String(classNo).padStart(2, '0')}`,
            countyId: COUNTY_ID,
            name,
            gender: rand() < 0.5 ? '男' : '女',
            studentNo: `${2026 - si}${String(si + 1)}${String(classNo).padStart(2, '0')}${String(k).padStart(3, '0')}`,
            status: 'enrolled',
            createdAt: enrolledOn
          })
          // About three in four students have a registered guardian (T1 ≥ 60% is met, with gaps to show); the
          // kindergarten's new families are slower (T1 below 60% there). Bindings spread over the months since the
          // child enrolled, so the monthly statistics have a history to show.
          if (rand() < (school.type === '幼儿园' ? 0.48 : 0.78)) {
            const openid = `demo-g-${studentId}`
            const relation = pick(RELATIONS)
            const boundAt = new Date(enrolledOn.getTime() + Math.pow(rand(), 1.6) * (now.getTime() - enrolledOn.getTime()))
            addUser(openid, adultName(name[0]), { consent: rand() < 0.9 ? accepted : undefined })
            grant(openid, 'guardian', school, { studentId, classId, relation, via: 'roster', createdAt: boundAt })
          }
        }
      }
    }
  }

  // Named demo guardians for the preview sign-in page.
  const firstClass = classes[0]
  const firstStudents = students.filter((s) => s.classId === firstClass._id)
  const school0 = SCHOOLS[0]

  addUser('demo-guardian-new', '王芳')
  grant('demo-guardian-new', 'guardian', school0, { studentId: firstStudents[0]._id, classId: firstClass._id, relation: '母亲' })
  demoUsers.unshift({ openid: 'demo-guardian-new', name: '王芳（母亲，首次使用）', roleLabel: '家长', description: `${school0.name} · 尚未同意隐私规则` })

  addUser('demo-guardian-grandpa', '李建国', { consent: accepted, largeText: true })
  grant('demo-guardian-grandpa', 'guardian', school0, { studentId: firstStudents[1]._id, classId: firstClass._id, relation: '祖父母' })
  grant('demo-guardian-grandpa', 'guardian', school0, { studentId: firstStudents[2]._id, classId: firstClass._id, relation: '祖父母' })
  demoUsers.splice(1, 0, { openid: 'demo-guardian-grandpa', name: '李建国（祖父，大字模式）', roleLabel: '家长', description: `${school0.name} · 两个孙辈` })

  // A teacher at the middle school whose own child attends the primary school: two roles, two schools.
  const middle = SCHOOLS[1]
  const middleClass = classes.find((c) => c.schoolId === middle.id)!
  addUser('demo-teacher-parent', '陈晓东', { consent: accepted })
  grant('demo-teacher-parent', 'teacher', middle, { classIds: [middleClass._id] })
  grant('demo-teacher-parent', 'guardian', school0, { studentId: firstStudents[3]._id, classId: firstClass._id, relation: '父亲' })
  demoUsers.push({ openid: 'demo-teacher-parent', name: '陈晓东（教师，也是家长）', roleLabel: '教师', description: `${middle.name}任教 · 孩子在${school0.name}` })

  // A teacher new to the app, not yet in any school: joins with the school code and waits for the principal.
  addUser('demo-new-teacher', '张敏')
  demoUsers.push({ openid: 'demo-new-teacher', name: '张敏（新教师，尚未加入学校）', roleLabel: '教师', description: `凭学校码 ${school0.code} 申请加入${school0.name}` })

  // A principal who has never opened the app (no account record at all): the bureau will invite them.
  demoUsers.push({ openid: 'demo-new-principal', name: '何振华（新校长，从未使用）', roleLabel: '学校管理员', description: '凭教育局给的邀请码成为学校管理员' })

  // County staff: the education bureau and the women's federation; one county-level counsellor (公益讲师团).
  addUser('demo-bureau', '周卫东')
  grant('demo-bureau', 'bureauAdmin', null)
  demoUsers.push({ openid: 'demo-bureau', name: '周卫东', roleLabel: '教育局/妇联', description: '平阳县教育局 · 家庭教育工作办公室' })
  addUser('demo-federation', '吴丽华')
  grant('demo-federation', 'bureauAdmin', null)
  addUser('demo-county-counsellor', '郑淑芬')
  grant('demo-county-counsellor', 'counsellor', null)

  return { collections: { counties, schools, classes, students, users, memberships, ...programmeDemo(schools, users), ...visitsDemo(students, memberships, users, prng(5), today), ...counsellingDemo(students, users, today) }, demoUsers }
}

// ================================================================================================================
// 示范校 programme (PRODUCT.md capability 11, T17): two creation rounds and applications in different states.
// 城关第一小学 was certified in the 2025 round (and re-checked since), so the county's T17 is 1; 南湖初级中学 was
// declined in 2025 and has applied again to the open 2026 round; 青山幼儿园 has not applied yet.
// ================================================================================================================
type DemoDoc = Record<string, unknown>

function programmeDemo(schools: DemoDoc[], users: DemoDoc[]): { programmeRounds: DemoDoc[]; programmeApplications: DemoDoc[] } {
  const at = (s: string) => new Date(`${s}+08:00`)
  const bureau = 'demo-bureau'
  const bureauName = String(users.find((u) => u._id === bureau)?.displayName ?? '工作人员')
  const rounds = [
    { _id: 'rnd_demo2025', countyId: COUNTY_ID, name: '2025年度示范校创建', year: 2025, deadline: '2025-03-01', applyUntil: at('2025-03-02T00:00:00'), notes: '各学区遴选 1–2 所优秀学校申报，3月1日前提交申报表。', createdBy: bureau, createdAt: at('2025-02-10T09:00:00') },
    { _id: 'rnd_demo2026', countyId: COUNTY_ID, name: '2026年度示范校创建', year: 2026, deadline: '2026-12-20', applyUntil: at('2026-12-21T00:00:00'), notes: '第二批创建学校申报，学区、直属校统一报送。', createdBy: bureau, createdAt: at('2026-10-20T09:00:00') }
  ]
  const schoolOf = (i: number) => schools[i] as { _id: string; name: string; district: string; type: string }
  const admin = (i: number) => {
    const openid = `demo-admin-${i + 1}`
    return { by: openid, byRole: 'school', byName: `${schoolOf(i).name} · ${String(users.find((u) => u._id === openid)?.displayName ?? '校长')}` }
  }
  const county = { by: bureau, byRole: 'bureau', byName: bureauName }
  const event = (when: string, step: string, from: string | null, to: string, who: DemoDoc, note: string | null = null) => ({ at: at(when), step, from, to, ...who, note })
  const base = (i: number, round: (typeof rounds)[number], form: { leaderName: string; phone: string; basis: string; goals: string; plan: string }) => ({
    _id: `${round._id}_${schoolOf(i)._id}`,
    countyId: COUNTY_ID,
    roundId: round._id,
    roundName: round.name,
    roundYear: round.year,
    schoolId: schoolOf(i)._id,
    schoolName: schoolOf(i).name,
    district: schoolOf(i).district,
    schoolType: schoolOf(i).type,
    ...form,
    createdBy: `demo-admin-${i + 1}`,
    ...freshApplication()
  })

  // 城关第一小学: applied, accepted, a year of creation, self-assessed, certified, re-checked 合格.
  const selfScores: Record<string, number> = { 'guidance-digital-learning': 4, 'visits-home': 4, 'openness-bases': 4 }
  const expertScores: Record<string, number> = { ...selfScores, 'guidance-digital-resources': 3 }
  const selfItems = STANDARD_ITEMS.map((i) => ({ key: i.key, score: selfScores[i.key] ?? i.points, note: `${i.title}：已按标准落实，材料齐全。`, evidence: [] }))
  const expertItems = STANDARD_ITEMS.map((i) => ({ key: i.key, score: expertScores[i.key] ?? i.points }))
  const sum = (items: Array<{ score: number }>) => items.reduce((n, i) => n + i.score, 0)
  const certified = {
    ...base(0, rounds[0], {
      leaderName: '林国平',
      phone: '13957712345',
      basis: '学校 2019 年起创办家长学校，每学期开展集体授课和分班授课；班级、年级、学校三级家委会健全；全员家访已坚持四年。',
      goals: '创建期内家长注册率达到 90%，人均学习 6 次以上，形成“家校共读”校本课程和一人一档的家访档案。',
      plan: '以“家校共读”为特色：每月一次亲子共读课，依托社区图书馆和消防站两处实践基地，组建 3 支家长志愿者队伍，按学期推进授课、家访与开放日。'
    }),
    status: 'certified',
    rev: 5,
    createdAt: at('2025-02-25T10:00:00'),
    submittedAt: at('2025-02-25T10:00:00'),
    updatedAt: at('2026-10-20T15:00:00'),
    acceptedAt: at('2025-03-10T09:30:00'),
    selfAssessment: { items: selfItems, total: sum(selfItems), savedAt: at('2026-03-12T16:00:00'), submittedAt: at('2026-03-12T16:00:00') },
    selfTotal: sum(selfItems),
    evaluation: { items: expertItems, total: sum(expertItems), comment: '实地查看家长学校授课记录、家访档案和实践基地，材料真实完整，特色鲜明，同意认定。', result: 'pass', at: at('2026-03-25T11:00:00'), ...county },
    expertTotal: sum(expertItems),
    rechecks: [{ result: 'pass', comment: '复查家长学校授课与家访记录，保持示范标准。', at: at('2026-10-20T15:00:00'), deadline: null, ...county }],
    certifiedAt: at('2026-03-25T11:00:00'),
    history: [
      event('2025-02-25T10:00:00', 'apply', null, 'submitted', admin(0)),
      event('2025-03-10T09:30:00', 'accept', 'submitted', 'creating', county),
      event('2026-03-12T16:00:00', 'submitSelfAssessment', 'creating', 'selfAssessed', admin(0), `自评总分 ${sum(selfItems)} 分`),
      event('2026-03-25T11:00:00', 'certify', 'selfAssessed', 'certified', county, '实地查看家长学校授课记录、家访档案和实践基地，材料真实完整，特色鲜明，同意认定。'),
      event('2026-10-20T15:00:00', 'recheckPass', 'certified', 'certified', county, '复查家长学校授课与家访记录，保持示范标准。')
    ]
  }

  // 南湖初级中学: declined in 2025 (with the reason), applied again to the 2026 round (待受理).
  const middleForm = {
    leaderName: '郑立新',
    phone: '0577-63881234',
    basis: '学校已成立家长学校和校级家委会，七年级开展全员家访，与南湖社区共建志愿服务基地。',
    goals: '一年内三个年级家委会全部规范选举产生，每学期与每位家长沟通 1 次以上，入户家访覆盖三分之一学生。',
    plan: '以“成长导师进家庭”为路径：每位教师联系 15 户家庭，结合开放日和家长接待日，建立留守儿童名册和跟踪随访机制。'
  }
  const declined = {
    ...base(1, rounds[0], middleForm),
    status: 'declined',
    rev: 2,
    createdAt: at('2025-02-27T14:00:00'),
    submittedAt: at('2025-02-27T14:00:00'),
    updatedAt: at('2025-03-10T10:00:00'),
    declineReason: '年级家委会尚未建立，创建基础不足，建议完善后下一批次申报。',
    history: [
      event('2025-02-27T14:00:00', 'apply', null, 'submitted', admin(1)),
      event('2025-03-10T10:00:00', 'decline', 'submitted', 'declined', county, '年级家委会尚未建立，创建基础不足，建议完善后下一批次申报。')
    ]
  }
  const resubmitted = {
    ...base(1, rounds[1], { ...middleForm, basis: `${middleForm.basis}2025 年起三个年级家委会已全部选举产生。` }),
    status: 'submitted',
    rev: 1,
    createdAt: at('2026-10-28T09:00:00'),
    submittedAt: at('2026-10-28T09:00:00'),
    updatedAt: at('2026-10-28T09:00:00'),
    history: [event('2026-10-28T09:00:00', 'apply', null, 'submitted', admin(1))]
  }
  return { programmeRounds: rounds, programmeApplications: [certified, declined, resubmitted] }
}

// ================================================================================================================
// 全员家访 (PRODUCT.md capability 6, T6–T8): this semester's plan (every class to its head teacher, except the
// last class of 城关第一小学, left for the principal to assign), three school years of contacts and home visits,
// and a special registry. The demo head teacher's class (城关第一小学 一年级（1）班) has an overdue 留守儿童
// follow-up, a follow-up due soon and students not contacted yet, so "my work" and the to-do list have work.
// ================================================================================================================
function visitsDemo(students: DemoDoc[], memberships: DemoDoc[], users: DemoDoc[], rand: () => number, today: number) {
  const semester = planSemester(today)
  const nameOf = (openid: string) => String(users.find((u) => u._id === openid)?.displayName ?? '班主任')
  const heads = new Map<string, string>()
  for (const m of memberships) if (m.role === 'teacher') for (const c of (m.headTeacherOf as string[]) ?? []) heads.set(c, String(m.openid))
  const dayAgo = (n: number) => new Date(dayStart(dayKey(today - n * DAY_MS)))
  const cycleStart = dayStart('2024-09-01')
  const demoClass = 'school-chengguan-primary-c01'
  const unplanned = 'school-chengguan-primary-c12'
  const visitAssignments: DemoDoc[] = []
  const visitRecords: DemoDoc[] = []
  const specialRegistry: DemoDoc[] = []
  const situations = [
    { study: '上课专注，作业能按时完成，数学进步明显', health: '身体健康', mood: '性格开朗，和同学相处融洽', family: '父母共同陪伴，家庭氛围和睦' },
    { study: '阅读兴趣浓厚，书写需加强', health: '近视，已配镜', mood: '偶尔内向，鼓励多表达', family: '由祖父母接送，父母工作较忙' },
    { study: '基础较弱，需要课后巩固', health: '身体健康', mood: '情绪稳定', family: '家长重视学习，希望多沟通' }
  ]
  let seq = 0
  const record = (st: DemoDoc, type: string, date: Date, extra: DemoDoc = {}) => {
    const author = heads.get(String(st.classId)) ?? ''
    const createdAt = new Date(date.getTime() + 19 * 3600_000)
    visitRecords.push({
      _id: `vr_demo${String(++seq).padStart(5, '0')}`,
      countyId: st.countyId,
      schoolId: st.schoolId,
      classId: st.classId,
      className: st.className,
      studentId: st._id,
      studentName: st.name,
      authorOpenid: author,
      authorName: nameOf(author),
      type,
      date,
      participants: `${nameOf(author)}、家长`,
      situation: situations[seq % situations.length],
      suggestions: seq % 2 ? '希望老师多反馈孩子在校表现' : '',
      followUp: { needed: false, by: null, note: '' },
      photos: [],
      createdAt,
      updatedAt: createdAt,
      history: [],
      ...extra
    })
  }
  const sinceSemester = Math.max(1, Math.floor((today - semester.start) / DAY_MS))
  for (const st of students) {
    const classId = String(st.classId)
    const head = heads.get(classId)
    if (head && classId !== unplanned) {
      visitAssignments.push({ _id: `${semester.id}_${String(st._id)}`, countyId: st.countyId, schoolId: st.schoolId, classId, className: st.className, studentId: st._id, studentName: st.name, semesterId: semester.id, teacherOpenids: [head], teacherNames: [nameOf(head)], updatedAt: new Date(semester.start + 7 * DAY_MS), updatedBy: 'demo-admin-1' })
    }
    const enrolled = new Date(String(st.createdAt)).getTime()
    // an in-home visit in an earlier school year for about half, a contact this semester for most
    if (rand() < 0.5) {
      const from = Math.max(cycleStart, enrolled)
      if (from < semester.start) record(st, '入户家访', new Date(dayStart(dayKey(from + rand() * (semester.start - from)))))
    }
    if (rand() < (classId === demoClass ? 0.55 : 0.8)) record(st, CONTACT_TYPES[1 + Math.floor(rand() * 4)], dayAgo(1 + Math.floor(rand() * Math.min(sinceSemester, 60))))
    if (rand() < 0.12) record(st, '入户家访', dayAgo(2 + Math.floor(rand() * Math.min(sinceSemester, 45))))
  }
  // the demo head teacher's class: three students on the registry, one follow-up asked for
  const mine = students.filter((st) => st.classId === demoClass)
  const entry = (st: DemoDoc, categories: string[], intervalDays: number, registeredDaysAgo: number, note: string) => {
    const head = heads.get(demoClass) ?? ''
    const registeredAt = dayAgo(registeredDaysAgo)
    specialRegistry.push({ _id: st._id, studentId: st._id, countyId: st.countyId, schoolId: st.schoolId, classId: st.classId, className: st.className, studentName: st.name, categories, intervalDays, note, registeredAt, registeredBy: head, registeredByName: nameOf(head), endedAt: null, endReason: null, history: [{ at: registeredAt, byName: nameOf(head), change: `登记：${categories.join('、')}，每 ${intervalDays} 天随访` }], updatedAt: registeredAt })
  }
  const withoutContact = mine.filter((st) => !visitRecords.some((r) => r.studentId === st._id))
  if (withoutContact[0]) entry(withoutContact[0], ['留守儿童'], 30, 45, '父母在外地务工，与祖父母同住')
  if (mine[1]) entry(mine[1], ['单亲家庭', '心理关注'], 14, 12, '近期情绪低落，多与母亲沟通')
  if (mine[2]) entry(mine[2], ['困难家庭'], 60, 20, '享受助学补助')
  const asked = visitRecords.find((r) => r.classId === demoClass && new Date(String(r.date)).getTime() >= semester.start)
  if (asked) asked.followUp = { needed: true, by: dayAgo(-2), note: '电话了解作业完成情况' }
  return { visitAssignments, visitRecords, specialRegistry }
}

// ================================================================================================================
// 个案咨询 (PRODUCT.md capability 4): 城关第一小学's counsellor and the county's 公益讲师团 have slots over the next
// two weeks; 李建国 has booked one for a grandchild tomorrow, and a past session has its outcome (its case notes are
// the counsellor's alone). Times are relative to when the preview runs.
// ================================================================================================================
function counsellingDemo(students: DemoDoc[], users: DemoDoc[], today: number) {
  const nameOf = (openid: string) => String(users.find((u) => u._id === openid)?.displayName ?? '家庭教育指导师')
  const school = SCHOOLS[0]
  const day0 = dayStart(dayKey(today))
  const at = (days: number, hour: number, minute = 0) => new Date(day0 + days * DAY_MS + hour * 3_600_000 + minute * 60_000)
  const slot = (id: string, counsellor: string, schoolId: string | null, start: Date, mode: string, place: string, extra: DemoDoc = {}) => ({
    _id: id,
    countyId: COUNTY_ID,
    schoolId,
    schoolName: schoolId ? school.name : '',
    counsellorOpenid: counsellor,
    counsellorName: nameOf(counsellor),
    mode,
    start,
    minutes: 40,
    place,
    ...freshSlotState(),
    createdAt: new Date(day0 - 7 * DAY_MS),
    updatedAt: new Date(day0 - 7 * DAY_MS),
    ...extra
  })
  const grandchild = students.find((st) => st.classId === 'school-chengguan-primary-c01' && String(st._id).endsWith('-s02')) as DemoDoc
  const booking = (topic: string, description: string, bookedDaysAgo: number) => ({
    guardianOpenid: 'demo-guardian-grandpa',
    studentId: grandchild._id,
    studentName: grandchild.name,
    className: grandchild.className,
    schoolId: grandchild.schoolId,
    schoolName: grandchild.schoolName,
    topic,
    description,
    bookedAt: new Date(day0 - bookedDaysAgo * DAY_MS)
  })
  const mine = 'demo-counsellor-1'
  const county = 'demo-county-counsellor'
  const counselSlots: DemoDoc[] = [
    slot('cs_demo_past', mine, school.id, at(-6, 15, 30), '面谈', '心理辅导室', { status: 'booked', booking: booking('学习', '孩子写作业拖拉，家里常为此争吵', 9), outcome: { result: 'followUp', at: at(-6, 16, 20) } }),
    slot('cs_demo_tomorrow', mine, school.id, at(1, 15, 30), '面谈', '心理辅导室', { status: 'booked', booking: booking('情绪', '孙子最近不愿上学，早上哭闹', 2) })
  ]
  for (const [i, [d, h, m]] of ([[2, 15, 30], [2, 16, 20], [4, 15, 30], [6, 10, 0], [8, 15, 30], [9, 16, 20]] as const).entries()) {
    counselSlots.push(slot(`cs_demo_s${i}`, mine, school.id, at(d, h, m), i % 3 === 2 ? '电话' : '面谈', i % 3 === 2 ? '' : '心理辅导室'))
  }
  for (const [i, [d, h]] of ([[3, 19], [5, 19], [10, 19]] as const).entries()) {
    counselSlots.push(slot(`cs_demo_c${i}`, county, null, at(d, h), '视频', '腾讯会议（链接预约后发送）'))
  }
  const counselNotes = [{ _id: 'cs_demo_past', counsellorOpenid: mine, start: at(-6, 15, 30), notes: '祖父管教方式偏严厉，建议每天固定 20 分钟陪读，两周后电话回访。', updatedAt: at(-6, 16, 20) }]
  return { counselSlots, counselNotes }
}
