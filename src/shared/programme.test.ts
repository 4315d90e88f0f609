import { programmeActions } from './contract-programme'
import { parseInput } from './validate'
import {
  APPLICATION_STATUSES,
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
  endOfShanghaiDay,
  evidenceKind,
  isEvidenceFileID,
  isValidDay,
  maskContactPhone,
  nextStatus,
  scoreTotal,
  shanghaiDay,
  stepsFrom,
  transitionRefusal,
  unscoredItems,
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
    }
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
