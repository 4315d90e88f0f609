export default definePageConfig({ navigationBarTitleText: '特殊学生名册' })
