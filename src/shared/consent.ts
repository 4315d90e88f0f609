/**
 * The guardian consent to the processing of children's personal information (PIPL art. 31) and the
 * privacy notice shown on the privacy page. Bump CONSENT_VERSION whenever the text changes in substance:
 * every guardian is then asked again.
 */
export const CONSENT_VERSION = '2026-11-v1'

export interface NoticeSection {
  title: string
  paragraphs: string[]
}

export const CONSENT_SUMMARY: NoticeSection[] = [
  {
    title: '我们为什么需要孩子的信息',
    paragraphs: [
      '为了开展家校社协同育人工作：让您绑定孩子、参加家长学校、预约家庭教育咨询、报名志愿活动，并让孩子的老师记录家校联系与家访。'
    ]
  },
  {
    title: '我们收集哪些信息',
    paragraphs: [
      '孩子：姓名、学校、班级、学籍号后几位（用于核对身份）、性别。',
      '您：微信身份标识、与孩子的关系、您主动填写的手机号（列表中只显示部分号码）。',
      '老师记录的家访和联系内容、特殊关爱信息属于敏感个人信息，仅孩子的任课老师和本校管理员可见，每次查看都会留下记录。'
    ]
  },
  {
    title: '保存多久',
    paragraphs: ['孩子在校期间保存；孩子离校或您注销后，除法律法规要求留存的记录外，个人信息在 180 天内删除或匿名化。']
  },
  {
    title: '如何撤回同意',
    paragraphs: [
      '您可以随时在「我的 → 隐私与授权」中撤回同意。撤回后您将进入受限模式：仍可浏览公开内容，但不能查看和提交与孩子相关的信息。已撤回前的处理不受影响。'
    ]
  }
]

export const PRIVACY_NOTICE: NoticeSection[] = [
  {
    title: '一、适用范围',
    paragraphs: [
      '本规则适用于「共育」小程序由县教育局、县妇联和各学校开展的家校社协同育人服务。我们依据《中华人民共和国个人信息保护法》第二十八条至第三十一条处理不满十四周岁未成年人的个人信息，并取得其监护人的单独同意。'
    ]
  },
  ...CONSENT_SUMMARY.map((s, i) => ({ ...s, title: `${['二', '三', '四', '五'][i]}、${s.title}` })),
  {
    title: '六、谁能看到',
    paragraphs: [
      '家长：只能看到与自己绑定的孩子。',
      '老师：只能看到任教班级的学生。',
      '家庭教育指导师：只能看到自己的预约；咨询个案记录仅指导师本人可见。',
      '学校管理员：可以看到本校数据，但看不到咨询个案记录。',
      '教育局、妇联：只看到统计数字，看不到学生姓名与敏感记录。',
      '任何学校的数据都不会被其他学校看到。本平台不对学生进行任何排名。'
    ]
  },
  {
    title: '七、您的权利',
    paragraphs: [
      '您可以查阅、导出、更正和删除我们保存的关于您和您孩子的信息，也可以撤回同意。导出的文件不包含他人的敏感信息。',
      '如有疑问，请联系孩子所在学校，或县教育局家庭教育工作办公室。'
    ]
  },
  {
    title: '八、安全措施',
    paragraphs: [
      '所有数据只能通过经过身份校验的云函数访问，数据库对任何用户直接访问一律拒绝；敏感记录的每一次查看都会写入审计日志。'
    ]
  }
]
