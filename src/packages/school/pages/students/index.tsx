import { Text, View } from '@tarojs/components'
import Taro, { usePullDownRefresh } from '@tarojs/taro'
import { Button, Dialog, Input } from '@nutui/nutui-react-taro'
import { useState } from 'react'
import { rosterApi } from '@/api/roster'
import { PageShell } from '@/components/PageShell'
import { EmptyState, Flash, Loading, Notice, Section } from '@/components/ui'
import { GENDERS, type ClassView, type RosterStudent } from '@/shared/contract'
import { useAsync } from '@/store/useAsync'
import { useOutcome } from '@/store/useOutcome'
import './index.scss'

type Gender = (typeof GENDERS)[number]
interface Form {
  /** the student being edited; absent when adding */
  student?: RosterStudent
  name: string
  studentNo: string
  gender: Gender | ''
}


/** School admin: the students of a class — add, edit, transfer to another class, mark as left. */
export default function StudentsPage() {
  const classes = useAsync(() => rosterApi.listClasses())
  const [picked, setPicked] = useState<string | null>(null)
  const [includeLeft, setIncludeLeft] = useState(false)
  const classList = classes.data?.classes ?? []
  const classId = picked && classList.some((c) => c.classId === picked) ? picked : (classList[0]?.classId ?? null)
  const students = useAsync(async () => (classId ? rosterApi.listStudents(classId, includeLeft) : null), [classId, includeLeft])
  const [open, setOpen] = useState<string | null>(null)
  const [form, setForm] = useState<Form | null>(null)
  /** The form sits at the top, above a long list: bring it into view when it opens. */
  const openForm = (value: NonNullable<typeof form>) => {
    setForm(value)
    void Taro.pageScrollTo({ scrollTop: 0, duration: 200 }).catch(() => undefined)
  }
  const [saving, setSaving] = useState(false)
  const [moving, setMoving] = useState<{ student: RosterStudent; to: string | null } | null>(null)
  const [leaving, setLeaving] = useState<RosterStudent | null>(null)
  const { message, setMessage, run: report } = useOutcome()
  /** Every change here reloads the classes and students after it is reported. */
  const run = (fn: () => Promise<unknown>, done: string) => report(fn, done, reloadAll)

  const reloadAll = () => Promise.all([classes.reload(), students.reload()])
  usePullDownRefresh(() => void reloadAll().finally(() => Taro.stopPullDownRefresh()))

  async function save() {
    if (!form || !classId) return
    if (!form.gender) {
      setMessage({ tone: 'warn', text: '请选择性别' })
      return
    }
    const f = form
    const gender = form.gender
    setSaving(true)
    const ok = await run(
      () =>
        f.student
          ? rosterApi.editStudent({ studentId: f.student.studentId, name: f.name, studentNo: f.studentNo, gender })
          : rosterApi.addStudent({ classId, name: f.name, studentNo: f.studentNo, gender }),
      f.student ? `已保存${f.name}的信息` : `已添加学生${f.name}`
    )
    setSaving(false)
    if (ok) setForm(null)
  }

  function chooseClass(c: ClassView) {
    setPicked(c.classId)
    setOpen(null)
    setForm(null)
  }

  if (classes.loading && !classes.data) return <PageShell><Loading /></PageShell>
  if (classes.data && classList.length === 0) {
    return (
      <PageShell className='sm'>
        <EmptyState icon='班' title='还没有班级' description='请先在「花名册」中按模板导入班级和学生。' />
      </PageShell>
    )
  }

  const current = classList.find((c) => c.classId === classId)
  const list = students.data?.students ?? []

  return (
    <PageShell className='sm'>
      {classes.error ? <Notice tone='warn'>{classes.error.message}</Notice> : null}
      {students.error ? <Notice tone='warn'>{students.error.message}</Notice> : null}
      <Flash message={message} />

      <Section title='选择班级'>
        <View className='sm__chips'>
          {classList.map((c) => (
            <Text key={c.classId} className={`sm__chip${c.classId === classId ? ' sm__chip--on' : ''}`} onClick={() => chooseClass(c)}>
              {c.name}（{c.enrolled}人）
            </Text>
          ))}
        </View>
        {current ? (
          <Text className='sm__class-info'>
            {current.grade} · 班级码 {current.code} · 班主任：{current.headTeachers.length ? current.headTeachers.join('、') : '未指定'}
          </Text>
        ) : null}
      </Section>

      {form ? (
        <Section title={form.student ? `编辑学生：${form.student.name}` : `添加学生到${current?.name ?? ''}`}>
          <View className='sm__form'>
            <Text className='sm__label'>姓名</Text>
            <Input className='sm__input' placeholder='学生的完整姓名' value={form.name} maxLength={20} onChange={(v) => setForm({ ...form, name: String(v) })} />
            <Text className='sm__label'>学籍号</Text>
            <Input className='sm__input' placeholder='学籍号' value={form.studentNo} maxLength={19} onChange={(v) => setForm({ ...form, studentNo: String(v) })} />
            <Text className='sm__label'>性别</Text>
            <View className='sm__dialog-chips'>
              {GENDERS.map((g) => (
                <Text key={g} className={`sm__chip${form.gender === g ? ' sm__chip--on' : ''}`} onClick={() => setForm({ ...form, gender: g })}>
                  {g}
                </Text>
              ))}
            </View>
            <Button type='primary' size='large' block loading={saving} disabled={saving} onClick={() => void save()}>
              保存
            </Button>
            <Button size='large' block disabled={saving} onClick={() => setForm(null)}>
              取消
            </Button>
          </View>
        </Section>
      ) : null}

      {current ? (
        <Section
          title={`${current.name} · 学生（${list.length}）`}
          extra={
            <Text className='sm__toggle' onClick={() => setIncludeLeft(!includeLeft)}>
              {includeLeft ? '隐藏离校学生' : '显示离校学生'}
            </Text>
          }
        >
          {students.loading && !students.data ? <Loading /> : null}
          {students.data && list.length === 0 ? <Text className='sm__none'>这个班还没有学生</Text> : null}
          {list.map((s) => (
            <View key={s.studentId} className='sm__student'>
              <View className='sm__row' onClick={() => setOpen(open === s.studentId ? null : s.studentId)}>
                <View className='sm__who'>
                  <Text className='sm__name'>
                    {s.name}
                    {s.gender ? `（${s.gender}）` : ''}
                  </Text>
                  <Text className='sm__no'>学籍号 {s.studentNo}</Text>
                </View>
                <Text className={`sm__status${s.status === 'left' ? ' sm__status--left' : ''}`}>{s.status === 'left' ? '已离校' : '在读'}</Text>
              </View>
              {open === s.studentId ? (
                <View className='sm__buttons'>
                  <Button onClick={() => openForm({ student: s, name: s.name, studentNo: s.studentNo, gender: (GENDERS as readonly string[]).includes(s.gender ?? '') ? (s.gender as Gender) : '' })}>
                    编辑
                  </Button>
                  {s.status === 'enrolled' ? (
                    <>
                      <Button disabled={classList.length < 2} onClick={() => setMoving({ student: s, to: null })}>
                        转班
                      </Button>
                      <Button onClick={() => setLeaving(s)}>标记离校</Button>
                    </>
                  ) : null}
                </View>
              ) : null}
            </View>
          ))}
        </Section>
      ) : null}

      {!form ? (
        <View className='gy-actions'>
          <Button type='primary' size='large' block disabled={!classId} onClick={() => openForm({ name: '', studentNo: '', gender: '' })}>
            添加学生
          </Button>
        </View>
      ) : null}

      <Dialog
        visible={moving !== null}
        title={`把${moving?.student.name ?? ''}转到哪个班？`}
        content={
          <View>
            <Text className='gy-muted'>家长的绑定会跟随学生转到新班级，原班级记录保留。</Text>
            <View className='sm__dialog-chips'>
              {classList
                .filter((c) => c.classId !== moving?.student.classId)
                .map((c) => (
                  <Text key={c.classId} className={`sm__chip${moving?.to === c.classId ? ' sm__chip--on' : ''}`} onClick={() => moving && setMoving({ ...moving, to: c.classId })}>
                    {c.name}
                  </Text>
                ))}
            </View>
          </View>
        }
        confirmText='确定转班'
        cancelText='取消'
        onCancel={() => setMoving(null)}
        onConfirm={() => {
          const m = moving
          if (!m?.to) {
            setMessage({ tone: 'warn', text: '请先选择要转入的班级' })
            setMoving(null)
            return
          }
          const to = classList.find((c) => c.classId === m.to)
          setMoving(null)
          void run(() => rosterApi.transferStudent(m.student.studentId, m.to as string), `已把${m.student.name}转到${to?.name ?? '新班级'}`)
        }}
      />
      <Dialog
        visible={leaving !== null}
        title={`确定将${leaving?.name ?? ''}标记为离校吗？`}
        content={<Text>离校后家长将不能再绑定，记录保留。</Text>}
        confirmText='确定离校'
        cancelText='取消'
        onCancel={() => setLeaving(null)}
        onConfirm={() => {
          const s = leaving
          setLeaving(null)
          if (s) void run(() => rosterApi.markLeft(s.studentId), `${s.name}已标记为离校`)
        }}
      />
    </PageShell>
  )
}
