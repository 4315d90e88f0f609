export default definePageConfig({ navigationBarTitleText: '凭家庭邀请码加入' })
