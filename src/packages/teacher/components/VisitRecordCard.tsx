import { Image, Text, View } from '@tarojs/components'
import Taro from '@tarojs/taro'
import { Glyph } from '@/components/ui'
import { formatDateTime } from '@/shared/calendar'
import type { VisitRecordView } from '@/shared/contract-visits'
import { SITUATION_ASPECTS } from '@/shared/visits'
import { PAGES } from '@/store/route'
import { dayText } from './VisitNav'
import { TYPE_GLYPHS } from './VisitType'
import './VisitRecordCard.scss'

/** Whether I may still correct the record (my own, within its 7 days). */
export const canCorrect = (r: VisitRecordView, now = Date.now()) => r.isMine && r.editableUntil !== null && r.editableUntil > now

/** Shows a visit's photos full screen, starting with the one tapped. */
export function previewPhotos(urls: string[], current: string) {
  if (!urls.length) return
  void Taro.previewImage({ urls, current }).catch(() => Taro.showToast({ title: '照片暂时无法打开，请稍后重试', icon: 'none' }))
}

/**
 * One contact or visit as the timeline and the record page show it: type, day, who wrote it, the child's situation,
 * the family's suggestions, the follow-up, photos (tap: full screen), corrections and — for my own within 7 days — 修改.
 */
export function VisitRecordCard({ record: r, historyLink = true }: { record: VisitRecordView; historyLink?: boolean }) {
  const glyph = TYPE_GLYPHS[r.type] ?? { text: '联', tone: 'grey' as const }
  const urls = r.photos.map((p) => p.tempFileURL).filter(Boolean)
  const aspects = SITUATION_ASPECTS.filter((a) => r.situation[a.key]?.trim())
  const editable = canCorrect(r)
  return (
    <View className={`vr vr--${r.recordId}`}>
      <View className='vr__head'>
        <Glyph text={glyph.text} tone={glyph.tone} />
        <View className='vr__title'>
          <Text className='vr__type'>{r.type}</Text>
          <Text className='vr__meta'>
            {dayText(r.date)} · {r.authorName}
            {r.isMine ? '（我）' : ''}
          </Text>
        </View>
      </View>
      {r.participants ? <Text className='vr__line'>参与人员：{r.participants}</Text> : null}
      {aspects.map((a) => (
        <View key={a.key} className='vr__block'>
          <Text className='vr__label'>{a.label}</Text>
          <Text className='vr__text'>{r.situation[a.key]}</Text>
        </View>
      ))}
      {r.suggestions ? (
        <View className='vr__block'>
          <Text className='vr__label'>家长意见建议</Text>
          <Text className='vr__text'>{r.suggestions}</Text>
        </View>
      ) : null}
      {r.followUp.needed ? (
        <View className='vr__follow'>
          <Text className='vr__follow-title'>需要跟进{r.followUp.by ? `：${dayText(r.followUp.by)}前` : ''}</Text>
          {r.followUp.note ? <Text className='vr__text'>{r.followUp.note}</Text> : null}
        </View>
      ) : null}
      {r.photos.length ? (
        <View className='vr__photos'>
          {r.photos.map((p) =>
            p.tempFileURL ? (
              <Image key={p.fileID} className='vr__photo' src={p.tempFileURL} mode='aspectFill' lazyLoad onClick={() => previewPhotos(urls, p.tempFileURL)} />
            ) : (
              <View key={p.fileID} className='vr__photo vr__photo--gone'>
                <Text>照片已失效</Text>
              </View>
            )
          )}
        </View>
      ) : null}
      {(historyLink && r.changes.length) || editable ? (
        <View className='vr__foot'>
          {historyLink && r.changes.length ? (
            <Text className='vr__changes' onClick={() => void Taro.navigateTo({ url: `${PAGES.teacherRecord}?recordId=${r.recordId}` })}>
              已修改 {r.changes.length} 次 ›
            </Text>
          ) : (
            <Text />
          )}
          {editable ? (
            <Text className='vr__edit' onClick={() => void Taro.navigateTo({ url: `${PAGES.teacherLog}?recordId=${r.recordId}` })}>
              修改（{formatDateTime(r.editableUntil as number).slice(5)} 前）
            </Text>
          ) : null}
        </View>
      ) : null}
    </View>
  )
}
