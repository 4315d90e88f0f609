import { PropsWithChildren } from 'react'
import Taro, { useLaunch } from '@tarojs/taro'
import { loadLocalPreferences } from './store/session'
import './app.scss'

function App({ children }: PropsWithChildren) {
  useLaunch(() => {
    if (process.env.TARO_ENV === 'weapp') {
      // The cloud env id comes from configuration (.env.production → TARO_APP_CLOUD_ENV); empty means the default env.
      const env = process.env.TARO_APP_CLOUD_ENV
      Taro.cloud.init(env ? { env, traceUser: true } : { traceUser: true })
    }
    loadLocalPreferences()
  })
  return children
}

export default App
