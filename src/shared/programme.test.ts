import { programmeActions } from './contract-programme'
import { parseInput } from './validate'
import {
  APPLICATION_STATUSES,
  BUREAU_STATUS_HINTS,
  LIMITS,
  HOLDS_TITLE,
  ITEM_KEYS,
  PROGRAMME_STEPS,
  STANDARD_ITEMS,
  STANDARD_SECTIONS,
  STANDARD_TOTAL,
  STATUS_HINTS,
  STATUS_LABELS,
  TRANSITIONS,
  canTake,
  creationEndsAt,
  deadlineProblem,
  endOfShanghaiDay,
  evidenceDisplayName,
  evidenceKind,
  evidenceRefusal,
  evidenceUploadName,
  isEvidenceFileID,
  isValidDay,
  maskContactPhone,
  nextStatus,
  scoreTotal,
  selfAssessmentTooEarly,
  shanghaiDay,
  stepsFrom,
  transitionRefusal,
  unscoredItems,
  unscoredRefusal,
  vetoFailures
} from './programme'
import { AppError } from './errors'

describe('the standard (认定标准)', () => {
  it('adds up to 100 points, every item in a known section, keys unique', () => {
    expect(STANDARD_TOTAL).toBe(100)
    expect(new Set(ITEM_KEYS).size).toBe(ITEM_KEYS.length)
    const sections = STANDARD_SECTIONS.map((s) => s.key)
    for (const i of STANDARD_ITEMS) {
      expect(sections).toContain(i.section)
      expect(i.points).toBeGreaterThan(0)
      expect(Number.isInteger(i.points)).toBe(true)
      expect(i.requirement.length).toBeGreaterThan(10)
      expect(i.evidence.length).toBeGreaterThan(2)
    }
  })

  it('covers the four key tasks of the notice and 组织保障, each with items', () => {
    for (const s of STANDARD_SECTIONS) expect(STANDARD_ITEMS.filter((i) => i.section === s.key).length).toBeGreaterThan(0)
    const text = STANDARD_ITEMS.map((i) => i.requirement).join('')
    // 000 三（一）–（四）, 五 1: the notice's figures appear in the standard.
    for (const phrase of ['1 次集体授课', '2 次分班授课', '不少于 60%', '不少于 4 次', '不少于 20 个', '个案咨询', '严禁以家委会名义', '至少 1 次', '三年内', '一人一档', '留守儿童', '开放日', '家长接待日', '志愿者队伍', '领导小组', '一校一案']) {
      expect(text).toContain(phrase)
    }
  })

  it('has exactly one veto item, the ban on fees in the committee’s name', () => {
    expect(STANDARD_ITEMS.filter((i) => i.veto).map((i) => i.key)).toEqual(['committee-no-fees'])
  })

  it('sums scores, finds unscored items and veto failures', () => {
    const items = STANDARD_ITEMS.map((i) => ({ key: i.key, score: i.points }))
    expect(scoreTotal(items)).toBe(100)
    expect(unscoredItems(items)).toEqual([])
    expect(unscoredItems(items.slice(1)).map((i) => i.key)).toEqual([ITEM_KEYS[0]])
    expect(unscoredItems([{ key: ITEM_KEYS[0], score: null }]).length).toBe(ITEM_KEYS.length)
    expect(vetoFailures(items)).toEqual([])
    expect(vetoFailures(items.map((i) => (i.key === 'committee-no-fees' ? { ...i, score: 0 } : i))).map((i) => i.key)).toEqual(['committee-no-fees'])
  })
})

describe('statuses and transitions', () => {
  it('labels every status and step in Chinese', () => {
    for (const s of APPLICATION_STATUSES) {
      expect(STATUS_LABELS[s]).toMatch(/[\u4e00-\u9fa5]/)
      expect(STATUS_HINTS[s]).toMatch(/[\u4e00-\u9fa5]/)
      expect(BUREAU_STATUS_HINTS[s]).toMatch(/[\u4e00-\u9fa5]/)
    }
    // what the school may do (修改申报表) is said to the school, not to the bureau
    expect(Object.values(BUREAU_STATUS_HINTS).join('')).not.toContain('修改申报表')
    for (const s of PROGRAMME_STEPS) expect(TRANSITIONS[s].label).toMatch(/[\u4e00-\u9fa5]/)
  })

  it('follows the notice: apply → accept → self-assess → certify → recheck', () => {
    let status = nextStatus(null, 'apply')
    expect(status).toBe('submitted')
    status = nextStatus(status, 'accept')
    expect(status).toBe('creating')
    expect(nextStatus(status, 'saveSelfAssessment')).toBe('creating')
    status = nextStatus(status, 'submitSelfAssessment')
    expect(status).toBe('selfAssessed')
    status = nextStatus(status, 'certify')
    expect(status).toBe('certified')
    status = nextStatus(status, 'rectify')
    expect(status).toBe('rectifying')
    expect(HOLDS_TITLE).toContain(status)
    expect(nextStatus(status, 'recheckPass')).toBe('certified')
    expect(nextStatus(status, 'revoke')).toBe('revoked')
  })

  it('refuses everything out of order, with a Chinese sentence naming the status', () => {
    expect(nextStatus(null, 'accept')).toBeNull()
    expect(nextStatus('submitted', 'certify')).toBeNull()
    expect(nextStatus('creating', 'certify')).toBeNull()
    expect(nextStatus('declined', 'accept')).toBeNull()
    expect(nextStatus('revoked', 'recheckPass')).toBeNull()
    expect(nextStatus('notCertified', 'submitSelfAssessment')).toBeNull()
    expect(nextStatus('selfAssessed', 'saveSelfAssessment')).toBeNull()
    expect(transitionRefusal('creating', 'certify')).toBe('该申报当前为「创建中」，不能「评估认定通过，授予称号」')
    expect(transitionRefusal(null, 'accept')).toContain('还没有申报')
  })

  it('ends in declined, notCertified and revoked: nothing more happens to those applications', () => {
    for (const s of ['declined', 'notCertified', 'revoked'] as const) expect(stepsFrom(s)).toEqual([])
  })

  it('gives each side its own steps', () => {
    expect(stepsFrom('submitted', 'bureau')).toEqual(['accept', 'decline'])
    expect(stepsFrom('submitted', 'school')).toEqual(['edit'])
    expect(stepsFrom('creating', 'school')).toEqual(['saveSelfAssessment', 'submitSelfAssessment'])
    expect(stepsFrom('certified', 'bureau')).toEqual(['recheckPass', 'rectify', 'revoke'])
    for (const step of PROGRAMME_STEPS) for (const from of TRANSITIONS[step].from) expect(canTake(from, step)).toBe(true)
  })
})

describe('form helpers', () => {
  it('masks phones in lists', () => {
    expect(maskContactPhone('13812345678')).toBe('138****5678')
    expect(maskContactPhone('0577-63886337')).toBe('0577-****6337')
    expect(maskContactPhone('63886337')).toBe('****6337')
  })

  it('checks days and computes Shanghai deadlines', () => {
    expect(isValidDay('2026-02-28')).toBe(true)
    expect(isValidDay('2026-02-30')).toBe(false)
    expect(isValidDay('2026-2-3')).toBe(false)
    expect(endOfShanghaiDay('2026-03-01')).toBe(Date.parse('2026-03-02T00:00:00+08:00'))
    expect(shanghaiDay(Date.parse('2026-03-01T23:30:00+08:00'))).toBe('2026-03-01')
    expect(creationEndsAt(Date.parse('2026-03-05T10:00:00+08:00'))).toBe(Date.parse('2027-03-05T10:00:00+08:00'))
  })

  it('accepts evidence only from the school’s own upload folder, images and documents only', () => {
    expect(evidenceKind('签到表.PDF')).toBe('document')
    expect(evidenceKind('照片.jpg')).toBe('image')
    expect(evidenceKind('脚本.js')).toBeNull()
    const env = 'cloud://local.6c6f-local-1300000000'
    expect(isEvidenceFileID(`${env}/programme/s1/1700-签到表.pdf`, 's1')).toBe(true)
    expect(isEvidenceFileID(`${env}/user-uploads/0123456789abcdef/programme/s1/1700-照片.jpg`, 's1')).toBe(true)
    expect(isEvidenceFileID(`${env}/programme/s2/1700-签到表.pdf`, 's1')).toBe(false)
    expect(isEvidenceFileID(`${env}/exports/s1/花名册.xlsx`, 's1')).toBe(false)
    expect(isEvidenceFileID(`${env}/programme/s1/../exports/x.pdf`, 's1')).toBe(false)
    expect(isEvidenceFileID(`${env}/programme/s1/x.html`, 's1')).toBe(false)
    expect(isEvidenceFileID('https://example.com/programme/s1/x.pdf', 's1')).toBe(false)
  })

  it('refuses a file on the phone, before it is uploaded, exactly when the server would refuse its upload', () => {
    const env = 'cloud://local.6c6f-local-1300000000'
    const names = ['evil.exe', '签到表.PDF', '照片1.jpg', '报告..pdf', '无扩展名', 'a b/c?.docx', '脚本.js', '照片.heic', '材料.pdf ', '.pdf', `${'长'.repeat(90)}.xlsx`, 'x.pdf.exe']
    for (const name of names) {
      const server = isEvidenceFileID(`${env}/programme/s1/${evidenceUploadName(name, 1700000000000, 0)}`, 's1')
      expect([name, evidenceRefusal(name) === null]).toEqual([name, server])
    }
    expect(evidenceRefusal('evil.exe')).toBe('「evil.exe」不是图片或文档，不能作为佐证材料。请上传图片（jpg、jpeg、png、webp、gif、heic）或文档（pdf、doc、docx、xls、xlsx、ppt、pptx）')
    expect(evidenceRefusal('照片1.jpg')).toBeNull()
    expect(evidenceUploadName('a b/c?.docx', 17, 2)).toBe('17-2-a_b_c_.docx')
    expect(evidenceUploadName('报告..pdf', 17, 0)).toBe('17-0-报告.pdf')
  })

  it('shortens a long file name for display, keeping its extension (the contract takes at most LIMITS.fileName)', () => {
    expect(evidenceDisplayName('签到表.pdf')).toBe('签到表.pdf')
    const long = evidenceDisplayName(`${'长'.repeat(90)}.xlsx`)
    expect(long.length).toBeLessThanOrEqual(LIMITS.fileName)
    expect(long).toMatch(/^长+…\.xlsx$/)
    expect(evidenceKind(long)).toBe('document')
  })

  it('lists the unscored items in one sentence', () => {
    const items = STANDARD_ITEMS.map((i) => ({ key: i.key, score: i.points }))
    expect(unscoredRefusal(items)).toBeNull()
    expect(unscoredRefusal(items.slice(2))).toBe(`还有 2 项没有自评打分：「${STANDARD_ITEMS[0].title}」、「${STANDARD_ITEMS[1].title}」`)
  })
})

describe('the creation year and deadlines', () => {
  const accepted = Date.parse('2026-03-10T09:30:00+08:00')

  it('the self-assessment may be submitted from the start of the day the creation year ends (Shanghai), the day the page shows', () => {
    expect(shanghaiDay(creationEndsAt(accepted))).toBe('2027-03-10')
    expect(selfAssessmentTooEarly(accepted, Date.parse('2027-03-09T23:59:59+08:00'))).toBe('一年创建期满（2027年3月10日）后才能提交自查自评，在此之前可以继续填写、保存草稿')
    expect(selfAssessmentTooEarly(accepted, Date.parse('2026-03-11T10:00:00+08:00'))).toContain('2027年3月10日')
    expect(selfAssessmentTooEarly(accepted, Date.parse('2027-03-10T00:00:00+08:00'))).toBeNull()
    expect(selfAssessmentTooEarly(accepted, Date.parse('2028-01-01T00:00:00+08:00'))).toBeNull()
    expect(selfAssessmentTooEarly(null, Date.now())).toBeNull()
    // accepted late in the evening (Shanghai): the year ends on the Shanghai day, not the UTC one
    expect(selfAssessmentTooEarly(Date.parse('2026-03-10T23:30:00+08:00'), Date.parse('2027-03-10T00:10:00+08:00'))).toBeNull()
  })

  it('checks a deadline as the contract and the server do: format, calendar, not before today', () => {
    const now = Date.parse('2026-11-23T10:00:00+08:00')
    expect(deadlineProblem('整改期限', '', now)).toBe('请填写整改期限')
    expect(deadlineProblem('整改期限', '2027/6/30', now)).toBe('整改期限格式应为 YYYY-MM-DD，例如 2026-03-01')
    expect(deadlineProblem('整改期限', '2027-02-30', now)).toBe('整改期限不是有效的日期')
    expect(deadlineProblem('整改期限', '2026-11-22', now)).toBe('整改期限不能早于今天')
    expect(deadlineProblem('整改期限', '2026-11-23', now)).toBeNull()
    expect(deadlineProblem('整改期限', ' 2027-06-30 ', now)).toBeNull()
  })
})

describe('the contract’s inputs', () => {
  const bad = (fn: () => unknown) => {
    try {
      fn()
    } catch (e) {
      expect(e).toBeInstanceOf(AppError)
      return (e as AppError).message
    }
    throw new Error('accepted')
  }
  const form = { roundId: 'rnd_1', leaderName: '严明', phone: '13812345678', basis: '基础'.repeat(6), goals: '目标'.repeat(6), plan: '做法'.repeat(6) }

  it('checks the application form with Chinese messages', () => {
    expect(parseInput(programmeActions.apply.input, form).phone).toBe('13812345678')
    expect(bad(() => parseInput(programmeActions.apply.input, { ...form, phone: '12345' }))).toContain('联系电话')
    expect(bad(() => parseInput(programmeActions.apply.input, { ...form, basis: '太短' }))).toBe('创建基础至少写 10 个字')
    expect(bad(() => parseInput(programmeActions.apply.input, { ...form, plan: '长'.repeat(2001) }))).toContain('不能超过 2000 个字')
    expect(bad(() => parseInput(programmeActions.apply.input, { ...form, leaderName: '' }))).toContain('负责人')
  })

  it('checks scores against each item’s points and refuses duplicates', () => {
    const first = STANDARD_ITEMS[0]
    expect(bad(() => parseInput(programmeActions.saveSelfAssessment.input, { applicationId: 'a_1', items: [{ key: first.key, score: first.points + 1 }] }))).toBe(
      `「${first.title}」满分 ${first.points} 分，得分不能超过 ${first.points}`
    )
    expect(bad(() => parseInput(programmeActions.saveSelfAssessment.input, { applicationId: 'a_1', items: [{ key: first.key }, { key: first.key }] }))).toContain('重复')
    expect(bad(() => parseInput(programmeActions.saveSelfAssessment.input, { applicationId: 'a_1', items: [{ key: 'nope' }] }))).toBe('评分项目不存在')
    expect(bad(() => parseInput(programmeActions.saveSelfAssessment.input, { applicationId: 'a_1', items: [{ key: first.key, score: 1.5 }] }))).toBe('得分应为整数')
  })

  it('needs a reason to decline and a deadline to order rectification', () => {
    expect(bad(() => parseInput(programmeActions.decideApplication.input, { applicationId: 'a_1', accept: false }))).toContain('原因')
    expect(parseInput(programmeActions.decideApplication.input, { applicationId: 'a_1', accept: true }).accept).toBe(true)
    expect(bad(() => parseInput(programmeActions.recheck.input, { applicationId: 'a_1', result: 'rectify', comment: '授课不足' }))).toContain('整改期限')
    expect(bad(() => parseInput(programmeActions.recheck.input, { applicationId: 'a_1', result: 'rectify', comment: '授课不足', deadline: '2027-02-30' }))).toContain('不是有效的日期')
  })

  it('checks a round', () => {
    expect(parseInput(programmeActions.openRound.input, { name: '2026年度', year: 2026, deadline: '2026-03-01' }).notes).toBe('')
    expect(bad(() => parseInput(programmeActions.openRound.input, { name: '2026年度', year: 2026, deadline: '3月1日' }))).toContain('YYYY-MM-DD')
  })
})
