export default definePageConfig({ navigationBarTitleText: '选择预览账号' })
