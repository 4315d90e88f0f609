/** Small pieces of the statistics pages: a load failure with a retry, and the notice about the latest run. */
import { Text, View } from '@tarojs/components'
import Taro from '@tarojs/taro'
import { Button } from '@nutui/nutui-react-taro'
import { PageShell } from '@/components/PageShell'
import { Notice } from '@/components/ui'
import { formatDateTime } from '@/shared/calendar'
import type { RunView } from '@/shared/contract-stats'
import type { AppError } from '@/shared/errors'
import { PAGES } from '@/store/route'
import { isStaleRun, monthLabel } from './format'
import './stats.scss'

/** Back to where the person came from, or to the start when the page was opened directly. */
export function goBack() {
  // (on H5 navigateBack does not fail when there is nowhere to go: look at the page stack instead)
  if (Taro.getCurrentPages().length > 1) void Taro.navigateBack().catch(() => void Taro.reLaunch({ url: PAGES.launch }))
  else void Taro.reLaunch({ url: PAGES.launch })
}

/**
 * A page that could not load. When the person may not see it at all, retrying cannot help: say who may, and
 * offer the way back instead.
 */
export function LoadFailed({ error, onRetry }: { error?: AppError | null; onRetry: () => void }) {
  const denied = error?.code === 'PERMISSION_DENIED' || error?.code === 'NOT_REGISTERED'
  return (
    <PageShell>
      <Notice tone='warn'>{denied ? '您的账号不能查看这一页：学校的统计只对本校管理员和县教育局开放，学生名单只对本校管理员和该班班主任开放。' : error?.message ?? '无法加载统计数据'}</Notice>
      {denied ? (
        <Button size='large' block onClick={goBack}>
          返回
        </Button>
      ) : (
        <Button type='primary' size='large' block onClick={onRetry}>
          重试
        </Button>
      )}
    </PageShell>
  )
}

/** A failed run, or one that stopped without finishing, is shown: the figures below may be older than expected. */
export function RunNotice({ run, canRefresh }: { run: RunView | null; canRefresh?: boolean }) {
  if (!run || run.status === 'done') return null
  const when = formatDateTime(run.startedAt)
  if (run.status === 'failed' || isStaleRun(run)) {
    return (
      <Notice tone='warn'>
        <View className='st-run-notice'>
          <Text>
            {monthLabel(run.month)}的统计（{when} 开始）{run.status === 'failed' ? '失败了' : '没有完成'}
            {run.error ? `：${run.error}` : ''}。下面显示的是最近一次成功统计的数据。
          </Text>
          {canRefresh ? <Text>可以点「立即刷新」重新统计。</Text> : null}
        </View>
      </Notice>
    )
  }
  return <Notice>{monthLabel(run.month)}的统计正在进行（{when} 开始），完成后下拉刷新即可看到最新数字。</Notice>
}
