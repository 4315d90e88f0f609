/** How each contact type is shown: a one-character glyph and its colour (the same on every 家访 page). */
import type { GlyphTone } from '@/components/ui'
import type { ContactType } from '@/shared/visits'

export const TYPE_GLYPHS: Record<ContactType, { text: string; tone: GlyphTone }> = {
  入户家访: { text: '家', tone: 'green' },
  到校约谈: { text: '谈', tone: 'blue' },
  电话: { text: '电', tone: 'orange' },
  视频: { text: '视', tone: 'purple' },
  微信: { text: '微', tone: 'teal' }
}
