import { Text, View } from '@tarojs/components'
import Taro, { useDidShow, usePullDownRefresh } from '@tarojs/taro'
import { Button } from '@nutui/nutui-react-taro'
import { useRef, useState } from 'react'
import { visitsApi } from '@/api/visits'
import { PageShell } from '@/components/PageShell'
import { EmptyState, Loading, Notice, Section } from '@/components/ui'
import type { RegistryView } from '@/shared/contract-visits'
import { DAY_MS, DUE_SOON_DAYS, dueText } from '@/shared/visits'
import { PAGES } from '@/store/route'
import { scopesOf } from '@/store/session'
import { useAsync } from '@/store/useAsync'
import { useMe } from '@/store/useMe'
import { intervalText, mergeRegistries } from '../../components/RegistryFormat'
import { dayText } from '../../components/WorkFormat'
import './index.scss'

interface ClassList {
  classId: string | null
  className: string
  entries: RegistryView[]
}

/**
 * 特殊学生名册: the 留守儿童 and special students of my classes (the school admin: of the school), overdue first, with
 * their follow-up interval and when the next follow-up is due. A teacher of several classes can look at one class.
 * Every view is written to the audit log by the cloud.
 */
export default function TeacherRegistryPage() {
  const { me, loading: meLoading, error: meError, reload: reloadMe } = useMe()
  const classIds = Array.from(new Set(scopesOf(me, 'teacher').flatMap((s) => s.classIds ?? [])))
  const { data, error, loading, reload } = useAsync(async (): Promise<ClassList[] | null> => {
    if (!me) return null
    // One class, or none (the school admin): one list. Several classes: one list each, so one can be picked.
    if (classIds.length < 2) return [{ classId: null, className: '', entries: (await visitsApi.specialRegistry()).entries }]
    const lists = await Promise.all(classIds.map((id) => visitsApi.specialRegistry(id)))
    return lists.map((l, i) => ({ classId: classIds[i], className: l.entries[0]?.className ?? '', entries: l.entries }))
  }, [me?.userId, classIds.join(',')])
  const [picked, setPicked] = useState<string | null>(null)
  usePullDownRefresh(() => void reload().finally(() => Taro.stopPullDownRefresh()))
  const shown = useRef(false)
  useDidShow(() => {
    if (shown.current) void reload()
    shown.current = true
  })

  if (meLoading || (loading && !data)) return <PageShell><Loading /></PageShell>
  if (!data) {
    return (
      <PageShell className='wr'>
        <Notice tone='warn'>{(error ?? meError)?.message ?? '无法加载特殊学生名册'}</Notice>
        <Button type='primary' size='large' block onClick={() => void (me ? reload() : reloadMe())}>
          重试
        </Button>
      </PageShell>
    )
  }

  const now = Date.now()
  const withEntries = data.filter((c) => c.entries.length > 0)
  const current = picked ? withEntries.find((c) => c.classId === picked) : undefined
  const all = mergeRegistries(data.map((c) => c.entries))
  const entries = current ? mergeRegistries([current.entries]) : all
  const overdue = entries.filter((e) => e.overdue).length
  const open = (e: RegistryView) => void Taro.navigateTo({ url: `${PAGES.teacherFile}?studentId=${encodeURIComponent(e.studentId)}` })

  return (
    <PageShell className='wr'>
      {error ? <Notice tone='warn'>{error.message}</Notice> : null}
      <Notice>名册涉及学生的敏感信息，仅本班教师、家访教师和本校管理员可见；每次查看都会记录查看人和时间（访问留痕）。</Notice>
      {withEntries.length > 1 ? (
        <View className='wr__chips'>
          <Text className={`wr__chip${!current ? ' wr__chip--on' : ''}`} onClick={() => setPicked(null)}>
            全部（{all.length}）
          </Text>
          {withEntries.map((c) => (
            <Text key={c.classId ?? ''} className={`wr__chip${current?.classId === c.classId ? ' wr__chip--on' : ''}`} onClick={() => setPicked(c.classId)}>
              {c.className}（{c.entries.length}）
            </Text>
          ))}
        </View>
      ) : null}
      {entries.length === 0 ? (
        <EmptyState icon='册' title='名册里还没有学生' description='在学生档案中可以把留守儿童和特殊学生（单亲、困难家庭、残疾/特殊需要、心理关注等）加入名册，并设置随访间隔。' />
      ) : (
        <Section title={`${current ? current.className : '在册学生'}（${entries.length}${overdue ? `，逾期 ${overdue}` : ''}）`}>
          {entries.map((e) => (
            <View key={e.studentId} className={`wr__entry${e.overdue ? ' wr__entry--overdue' : ''}`} hoverClass='wr__entry--pressed' onClick={() => open(e)}>
              <View className='wr__head'>
                <Text className='wr__name'>{e.name}</Text>
                <Text className='wr__class'>{e.className}</Text>
                <Text className={`wr__due${e.overdue ? ' wr__due--overdue' : e.dueAt - now > DUE_SOON_DAYS * DAY_MS ? ' wr__due--later' : ''}`}>{dueText(e.dueAt, now)}</Text>
              </View>
              <View className='wr__cats'>
                {e.categories.map((c) => (
                  <Text key={c} className='wr__cat'>
                    {c}
                  </Text>
                ))}
              </View>
              <View className='wr__line'>
                <Text className='wr__part'>{intervalText(e.intervalDays)}</Text>
                <Text className='wr__part'>最近联系 {dayText(e.lastContactAt, '暂无记录')}</Text>
                <Text className='wr__part'>应随访 {dayText(e.dueAt)}</Text>
              </View>
              <Text className='wr__arrow'>查看档案 ›</Text>
            </View>
          ))}
        </Section>
      )}
    </PageShell>
  )
}
