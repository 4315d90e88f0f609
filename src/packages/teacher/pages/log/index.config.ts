export default definePageConfig({ navigationBarTitleText: '记录联系/家访' })
