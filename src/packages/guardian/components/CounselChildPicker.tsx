/** The child a counselling booking is for, when the guardian has several: big chips, one tap. */
import { Text, View } from '@tarojs/components'
import { bindingApi } from '@/api/binding'
import { isLimitedMode } from '@/store/route'
import { scopesOf } from '@/store/session'
import { useAsync } from '@/store/useAsync'
import { useMe } from '@/store/useMe'
import './CounselChildPicker.scss'

export interface CounselChild {
  studentId: string
  name: string
  detail: string
}

export function CounselChildPicker({ items, value, onChange }: { items: CounselChild[]; value: string; onChange: (studentId: string) => void }) {
  if (items.length < 2) return null
  return (
    <View className='cc-pick'>
      <Text className='cc-pick__label'>为哪个孩子预约</Text>
      <View className='cc-pick__chips'>
        {items.map((c) => (
          <View
            key={c.studentId}
            className={`cc-pick__chip cc-pick__chip--${c.studentId}${c.studentId === value ? ' cc-pick__chip--on' : ''}`}
            hoverClass='cc-pick__chip--pressed'
            onClick={() => onChange(c.studentId)}
          >
            <Text className='cc-pick__name'>{c.name}</Text>
            {c.detail ? <Text className='cc-pick__detail'>{c.detail}</Text> : null}
          </View>
        ))}
      </View>
    </View>
  )
}

/**
 * The guardian's children for counselling: the ids from whoami's guardian scopes (what the server allows), the names
 * from myChildren (best effort: without them the chips still work). Nothing is asked in limited mode.
 */
export function useCounselChildren() {
  const { me, loading, error, reload } = useMe()
  const limited = isLimitedMode(me)
  const named = useAsync(async () => (me && !limited ? (await bindingApi.myChildren()).children : []), [me?.userId, limited])
  const ids = Array.from(new Set(scopesOf(me, 'guardian').flatMap((s) => s.studentIds ?? [])))
  const known = named.data ?? []
  const children: CounselChild[] = (ids.length ? ids : known.map((c) => c.studentId)).map((id, i) => {
    const c = known.find((k) => k.studentId === id)
    return { studentId: id, name: c?.name ?? `孩子 ${i + 1}`, detail: c ? `${c.schoolName} ${c.className}` : '' }
  })
  return { me, loading: loading || (named.loading && !named.data), error, reload, limited, children }
}
