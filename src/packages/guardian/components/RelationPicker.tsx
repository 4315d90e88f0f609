import { Text, View } from '@tarojs/components'
import { GUARDIAN_RELATIONS, type GuardianRelation } from '@/shared/roles'
import './RelationPicker.scss'

/** Big, tappable choices of the guardian's relation to the child. */
export function RelationPicker({ value, onChange }: { value: GuardianRelation | ''; onChange: (r: GuardianRelation) => void }) {
  return (
    <View className='relation-picker'>
      {GUARDIAN_RELATIONS.map((r) => (
        <View key={r} className={`relation-picker__item${value === r ? ' relation-picker__item--on' : ''}`} onClick={() => onChange(r)}>
          <Text>{r}</Text>
        </View>
      ))}
    </View>
  )
}
