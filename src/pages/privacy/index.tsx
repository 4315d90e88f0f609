import { NoticeSections } from '@/components/NoticeSections'
import { PageShell } from '@/components/PageShell'
import { CONSENT_VERSION, PRIVACY_NOTICE } from '@/shared/consent'

/** The readable privacy page: open to everyone, signed in or not. */
export default function PrivacyPage() {
  return (
    <PageShell>
      <NoticeSections title='隐私政策与儿童个人信息保护规则' subtitle={`版本 ${CONSENT_VERSION} · 发布单位：县教育局、县妇女联合会`} sections={PRIVACY_NOTICE} />
    </PageShell>
  )
}
