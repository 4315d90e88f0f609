import { Text, View } from '@tarojs/components'
import Taro, { usePullDownRefresh } from '@tarojs/taro'
import { Button, Dialog, Input } from '@nutui/nutui-react-taro'
import { useState } from 'react'
import { pickAndUploadFiles } from '@/api/files'
import { visitsApi } from '@/api/visits'
import { openTraining } from '@/api/training'
import { PageShell } from '@/components/PageShell'
import { EmptyState, Flash, Hero, Loading, Notice, Section, Stat } from '@/components/ui'
import type { PlanClassRow, TeacherOption, TrainingView } from '@/shared/contract-visits'
import { trainingFolder, VISIT_LIMITS } from '@/shared/visits'
import { scopesOf } from '@/store/session'
import { useAsync } from '@/store/useAsync'
import { useMe } from '@/store/useMe'
import { errorText, useOutcome } from '@/store/useOutcome'
import './index.scss'

interface TrainingForm {
  title: string
  link: string
  file: { fileID: string; name: string } | null
}

/** Opens the material: a document in WeChat's viewer; a link is copied (or opened in a tab in the H5 preview). */

const names = (list: readonly Pick<TeacherOption, 'name'>[]) => list.map((t) => t.name).join('、')

/**
 * 全员家访方案 (school admin): this semester's plan — every student assigned to a visiting teacher (by default the
 * head teacher; pairs allowed) — class by class, with the unassigned ones highlighted, and the training material.
 */
export default function VisitPlanPage() {
  const { me } = useMe()
  const schoolId = scopesOf(me, 'schoolAdmin')[0]?.schoolId ?? null
  const overview = useAsync(() => visitsApi.planOverview())
  const [grade, setGrade] = useState<string | null>(null)
  const [onlyOpen, setOnlyOpen] = useState(false)
  const [openClass, setOpenClass] = useState<string | null>(null)
  const [confirmDefaults, setConfirmDefaults] = useState(false)
  const [training, setTraining] = useState<TrainingForm | null>(null)
  const [busy, setBusy] = useState<'defaults' | 'training' | 'upload' | null>(null)
  const { message, setMessage } = useOutcome()
  usePullDownRefresh(() => void overview.reload().finally(() => Taro.stopPullDownRefresh()))

  async function assignDefaults() {
    setConfirmDefaults(false)
    setBusy('defaults')
    setMessage(null)
    try {
      const res = await visitsApi.assignDefaults()
      const missing = res.classesWithoutHeadTeacher
      setMessage(
        missing.length
          ? { tone: 'warn', text: `已为 ${res.assigned} 名学生安排班主任家访。以下班级没有班主任，请逐班安排：${missing.join('、')}` }
          : { tone: 'info', text: res.assigned ? `已为 ${res.assigned} 名学生安排班主任家访` : '所有学生都已安排，没有需要安排的学生' }
      )
      // an open class shows its students as they were: close it, the list below is reloaded
      setOpenClass(null)
      await overview.reload()
    } catch (e) {
      setMessage({ tone: 'warn', text: errorText(e) })
    } finally {
      setBusy(null)
    }
  }

  async function upload() {
    if (!training || !schoolId) return
    setBusy('upload')
    setMessage(null)
    try {
      const [file] = await pickAndUploadFiles(trainingFolder(schoolId), 'document', 1)
      if (file) setTraining({ ...training, file, title: training.title || file.name.replace(/\.\w+$/, '').slice(0, 40) })
    } catch (e) {
      setMessage({ tone: 'warn', text: errorText(e) })
    } finally {
      setBusy(null)
    }
  }

  async function saveTraining() {
    if (!training) return
    setBusy('training')
    setMessage(null)
    try {
      await visitsApi.saveTraining({
        title: training.title,
        link: training.file ? '' : training.link,
        fileID: training.file?.fileID ?? '',
        fileName: training.file?.name ?? ''
      })
      setTraining(null)
      setMessage({ tone: 'info', text: '培训材料已保存，家访教师在「我的家访任务」中可以查看' })
      await overview.reload()
    } catch (e) {
      setMessage({ tone: 'warn', text: errorText(e) })
    } finally {
      setBusy(null)
    }
  }

  async function open(t: TrainingView) {
    try {
      const said = await openTraining(t)
      if (said) setMessage({ tone: 'info', text: said })
    } catch (e) {
      setMessage({ tone: 'warn', text: errorText(e) })
    }
  }

  if (overview.loading && !overview.data) return <PageShell><Loading /></PageShell>
  const data = overview.data
  if (!data) {
    return (
      <PageShell className='vp'>
        <Notice tone='warn'>{overview.error?.message ?? '无法加载家访方案'}</Notice>
        <Button type='primary' size='large' block onClick={() => void overview.reload()}>
          重试
        </Button>
      </PageShell>
    )
  }

  const { totals } = data
  const grades = Array.from(new Set(data.classes.map((c) => c.grade)))
  const shownClasses = data.classes.filter((c) => (!grade || c.grade === grade) && (!onlyOpen || c.assigned < c.enrolled))
  const unassigned = Math.max(0, totals.enrolled - totals.assigned)

  return (
    <PageShell className='vp'>
      <Hero badge='全员家访' title='全员家访方案' subtitle={`${data.semester.label} · 每位学生安排 1 位家访教师，或 2 位结对家访`} />
      {overview.error ? <Notice tone='warn'>{overview.error.message}</Notice> : null}
      <Flash message={message} />

      <Section>
        <View className='gy-stats'>
          <Stat label='在籍学生' value={totals.enrolled} unit='人' />
          <Stat label='已安排' value={totals.assigned} unit='人' />
          <Stat label='未安排' value={unassigned} unit='人' />
        </View>
      </Section>

      <View className='vp__defaults'>
        <Button type='primary' size='large' block disabled={busy !== null || data.classes.length === 0} loading={busy === 'defaults'} onClick={() => setConfirmDefaults(true)}>
          一键安排（默认班主任）
        </Button>
        <Text className='gy-muted'>把尚未安排的学生安排给各自班级的班主任；已安排的学生不变。</Text>
      </View>

      <Section title='家访培训材料' extra={data.training && !training ? <Text className='vp__link' onClick={() => setTraining({ title: data.training?.title ?? '', link: data.training?.link ?? '', file: null })}>更换</Text> : null}>
        {data.training && !training ? (
          <View className='vp__training'>
            <View className='vp__training-text'>
              <Text className='vp__training-title'>{data.training.title}</Text>
              <Text className='gy-muted'>{data.training.tempFileURL ? `文档：${data.training.fileName}` : `链接：${data.training.link}`}</Text>
            </View>
            <Button size='small' onClick={() => void open(data.training as TrainingView)}>
              {data.training.tempFileURL ? '打开文档' : process.env.TARO_ENV === 'h5' ? '打开链接' : '复制链接'}
            </Button>
          </View>
        ) : training ? (
          <View className='vp__form'>
            <Text className='vp__label'>标题</Text>
            <Input className='vp__input vp__input--title' placeholder='例如：全员家访工作指引' value={training.title} maxLength={40} onChange={(v) => setTraining({ ...training, title: String(v) })} />
            {training.file ? (
              <View className='vp__file'>
                <Text className='vp__file-name'>文档：{training.file.name}</Text>
                <Text className='vp__link' onClick={() => setTraining({ ...training, file: null })}>移除</Text>
              </View>
            ) : (
              <>
                <Text className='vp__label'>上传文档（PDF、Word 等），或填写链接</Text>
                <Button size='large' block disabled={busy !== null || !schoolId} loading={busy === 'upload'} onClick={() => void upload()}>
                  上传文档
                </Button>
                <Input className='vp__input vp__input--link' placeholder='https://…' value={training.link} maxLength={500} onChange={(v) => setTraining({ ...training, link: String(v).trim() })} />
              </>
            )}
            <Button type='primary' size='large' block disabled={busy !== null} loading={busy === 'training'} onClick={() => void saveTraining()}>
              保存培训材料
            </Button>
            {data.training ? (
              <Button size='large' block disabled={busy !== null} onClick={() => setTraining(null)}>
                取消
              </Button>
            ) : null}
          </View>
        ) : (
          <View className='vp__training'>
            <Text className='gy-muted'>还没有培训材料。上传家访指引文档或填写链接，家访教师可以在任务页查看。</Text>
            <Button size='small' type='primary' onClick={() => setTraining({ title: '', link: '', file: null })}>
              添加
            </Button>
          </View>
        )}
      </Section>

      {data.classes.length === 0 ? (
        <EmptyState icon='班' title='还没有班级' description='请先在「花名册」中导入班级和学生。' />
      ) : (
        <Section
          title={`各班安排（${shownClasses.length}）`}
          extra={
            <Text className='vp__link' onClick={() => setOnlyOpen(!onlyOpen)}>
              {onlyOpen ? '显示全部班级' : '只看未安排完的'}
            </Text>
          }
        >
          {grades.length > 1 ? (
            <View className='vp__chips'>
              <Text className={`vp__chip${!grade ? ' vp__chip--on' : ''}`} onClick={() => setGrade(null)}>
                全部年级
              </Text>
              {grades.map((g) => (
                <Text key={g} className={`vp__chip${grade === g ? ' vp__chip--on' : ''}`} onClick={() => setGrade(g)}>
                  {g}
                </Text>
              ))}
            </View>
          ) : null}
          {shownClasses.length === 0 ? <Text className='vp__none'>{onlyOpen ? '这些班级的学生都已安排' : '没有班级'}</Text> : null}
          {shownClasses.map((c) => (
            <ClassRow
              key={c.classId}
              row={c}
              open={openClass === c.classId}
              onToggle={() => setOpenClass(openClass === c.classId ? null : c.classId)}
              fallbackTeachers={data.teachers}
              onChanged={() => overview.reload()}
            />
          ))}
        </Section>
      )}

      <Dialog
        visible={confirmDefaults}
        title='一键安排家访教师'
        content={<Text>把本学期尚未安排的 {unassigned} 名学生安排给各自班级的班主任？已安排的学生不变；没有班主任的班级需要逐班安排。</Text>}
        confirmText='确定安排'
        cancelText='取消'
        onCancel={() => setConfirmDefaults(false)}
        onConfirm={() => void assignDefaults()}
      />
    </PageShell>
  )
}

/** One class of the plan; opened, its students with their visitors, and the assignment of teachers. */
function ClassRow({
  row,
  open,
  onToggle,
  fallbackTeachers,
  onChanged
}: {
  row: PlanClassRow
  open: boolean
  onToggle: () => void
  fallbackTeachers: TeacherOption[]
  onChanged: () => Promise<unknown>
}) {
  const missing = Math.max(0, row.enrolled - row.assigned)
  return (
    <View className={`vp__class${open ? ' vp__class--open' : ''}`}>
      <View className='vp__class-row' hoverClass='vp__class-row--pressed' onClick={onToggle}>
        <View className='vp__class-main'>
          <Text className='vp__class-name'>{row.name}</Text>
          <Text className='vp__class-line'>
            在籍 {row.enrolled} · 已安排 {row.assigned}
          </Text>
          <Text className='vp__class-line'>班主任：{row.headTeachers.length ? names(row.headTeachers) : '未指定'}</Text>
          {row.visitors.length ? <Text className='vp__class-line'>家访教师：{row.visitors.map((v) => `${v.name}（${v.students}人）`).join('、')}</Text> : null}
        </View>
        {missing > 0 ? <Text className='vp__missing'>未安排 {missing}</Text> : row.enrolled > 0 ? <Text className='vp__done'>已安排</Text> : null}
        <Text className='vp__arrow'>{open ? '收起' : '安排'}</Text>
      </View>
      {open ? <ClassDetail row={row} fallbackTeachers={fallbackTeachers} onChanged={onChanged} /> : null}
    </View>
  )
}

function ClassDetail({ row, fallbackTeachers, onChanged }: { row: PlanClassRow; fallbackTeachers: TeacherOption[]; onChanged: () => Promise<unknown> }) {
  // (reloaded whenever the overview's count for the class changes, e.g. after 一键安排)
  const plan = useAsync(() => visitsApi.classPlan(row.classId), [row.classId, row.assigned])
  const [chosen, setChosen] = useState<string[]>(() => row.headTeachers.slice(0, VISIT_LIMITS.visitorsMax).map((t) => t.openid))
  const [selected, setSelected] = useState<string[]>([])
  const [confirm, setConfirm] = useState<'all' | 'selected' | null>(null)
  const [busy, setBusy] = useState(false)
  const { message, setMessage } = useOutcome()

  const teachers = sortTeachers(plan.data?.teachers ?? fallbackTeachers, row)
  const students = plan.data?.students ?? []
  const unassigned = students.filter((s) => s.visitors.length === 0)

  function toggleTeacher(openid: string) {
    if (chosen.includes(openid)) setChosen(chosen.filter((o) => o !== openid))
    else if (chosen.length >= VISIT_LIMITS.visitorsMax) setMessage({ tone: 'warn', text: `每位学生最多安排 ${VISIT_LIMITS.visitorsMax} 位家访教师（结对家访）` })
    else setChosen([...chosen, openid])
  }
  const toggleStudent = (id: string) => setSelected(selected.includes(id) ? selected.filter((s) => s !== id) : [...selected, id])

  function ask(kind: 'all' | 'selected') {
    setMessage(null)
    if (chosen.length === 0) setMessage({ tone: 'warn', text: '请先选择家访教师' })
    else if (kind === 'selected' && selected.length === 0) setMessage({ tone: 'warn', text: '请先点选学生' })
    else setConfirm(kind)
  }

  async function assign(kind: 'all' | 'selected') {
    setConfirm(null)
    setBusy(true)
    try {
      const res = await visitsApi.assignClass({ classId: row.classId, teacherOpenids: chosen, ...(kind === 'selected' ? { studentIds: selected } : {}) })
      setSelected([])
      setMessage({ tone: 'info', text: `已为 ${res.assigned} 名学生安排家访教师：${chosenNames}` })
      await Promise.all([plan.reload(), onChanged()])
    } catch (e) {
      setMessage({ tone: 'warn', text: errorText(e) })
    } finally {
      setBusy(false)
    }
  }

  const chosenNames = names(teachers.filter((t) => chosen.includes(t.openid)))
  const count = confirm === 'selected' ? selected.length : students.length || row.enrolled

  return (
    <View className='vp__detail'>
      <Flash message={message} />
      <Text className='vp__label'>选择家访教师（1 位，或 2 位结对）</Text>
      <View className='vp__chips vp__chips--teachers'>
        {teachers.map((t) => (
          <Text key={t.openid} className={`vp__chip vp__teacher${chosen.includes(t.openid) ? ' vp__chip--on' : ''}`} onClick={() => toggleTeacher(t.openid)}>
            {t.name}
            {t.headTeacher || row.headTeachers.some((h) => h.openid === t.openid) ? '（班主任）' : ''}
          </Text>
        ))}
        {teachers.length === 0 ? <Text className='gy-muted'>学校还没有教师，请先在「教职工」中审核教师加入。</Text> : null}
      </View>

      {plan.loading && !plan.data ? <Loading text='正在加载学生…' /> : null}
      {plan.error ? <Notice tone='warn'>{plan.error.message}</Notice> : null}
      {plan.data ? (
        <>
          <View className='vp__students-head'>
            <Text className='vp__label'>
              学生 {students.length} 人{unassigned.length ? `，未安排 ${unassigned.length} 人` : ''}；点选学生可只安排选中的
            </Text>
            {unassigned.length ? (
              <Text className='vp__link' onClick={() => setSelected(unassigned.map((s) => s.studentId))}>
                选中未安排的
              </Text>
            ) : null}
          </View>
          {students.length === 0 ? <Text className='vp__none'>这个班还没有在籍学生</Text> : null}
          {students.map((s) => (
            <View
              key={s.studentId}
              className={`vp__student${s.visitors.length === 0 ? ' vp__student--unassigned' : ''}${selected.includes(s.studentId) ? ' vp__student--on' : ''}`}
              onClick={() => toggleStudent(s.studentId)}
            >
              <Text className='vp__tick'>{selected.includes(s.studentId) ? '☑' : '☐'}</Text>
              <Text className='vp__student-name'>{s.name}</Text>
              <Text className={s.visitors.length ? 'vp__visitors' : 'vp__visitors vp__visitors--none'}>{s.visitors.length ? names(s.visitors) : '未安排'}</Text>
            </View>
          ))}
          <View className='vp__buttons'>
            <Button type='primary' size='large' block disabled={busy || students.length === 0} loading={busy} onClick={() => ask('all')}>
              安排全班学生（{students.length}）
            </Button>
            <Button size='large' block disabled={busy || selected.length === 0} onClick={() => ask('selected')}>
              安排选中的学生（{selected.length}）
            </Button>
          </View>
        </>
      ) : null}

      <Dialog
        visible={confirm !== null}
        title={`安排${row.name}的家访教师`}
        content={<Text>把{confirm === 'selected' ? '选中的' : '全班'} {count} 名学生的家访教师设为：{chosenNames}？原来的安排会被替换。</Text>}
        confirmText='确定安排'
        cancelText='取消'
        onCancel={() => setConfirm(null)}
        onConfirm={() => {
          if (confirm) void assign(confirm)
        }}
      />
    </View>
  )
}

/** The class's head teachers first, then the others as the cloud listed them. */
function sortTeachers(list: readonly TeacherOption[], row: PlanClassRow): TeacherOption[] {
  const isHead = (t: TeacherOption) => Boolean(t.headTeacher) || row.headTeachers.some((h) => h.openid === t.openid)
  return [...list.filter(isHead), ...list.filter((t) => !isHead(t))]
}

