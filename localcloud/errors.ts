/**
 * Error codes answered by the local cloud.
 *
 * TCB API errors travel as a top-level `{code, message, requestId}` JSON body (HTTP 200), which
 * @cloudbase/node-sdk turns into a thrown TcbError with that `code`; wx-server-sdk then maps the code to a
 * numeric `errCode` (its TCB_ERR_CODE table; unknown codes become -501001) and keeps `message` in `errMsg`.
 *
 * | code                               | when                                                  | errCode seen by wx-server-sdk |
 * |------------------------------------|-------------------------------------------------------|-------------------------------|
 * | DATABASE_COLLECTION_NOT_EXIST      | collection neither in collections.json nor created    | -502005                       |
 * | DATABASE_REQUEST_FAILED            | unique index violation (message starts `E11000 duplicate key error`), bad update, | -502001 |
 * |                                    | multi-document operation inside a transaction          |                               |
 * | DATABASE_TRANSACTION_CONFLICT      | commit of a transaction whose writes collide           | (retried by runTransaction)   |
 * | DATABASE_TRANSACTION_FAIL          | operation on a committed / aborted / expired / unknown transaction | -501001           |
 * | DATABASE_COLLECTION_ALREADY_EXIST  | createCollection of an existing collection            | -501001                       |
 * | INVALID_PARAM                      | malformed request                                     | -501007                       |
 * | LOCALCLOUD_UNSUPPORTED_ACTION      | any action this runtime does not implement            | -501001                       |
 */
export class LocalCloudError extends Error {
  code: string
  errCode?: number
  httpStatus?: number
  constructor(code: string, message: string, extra?: { errCode?: number; httpStatus?: number }) {
    super(message)
    this.name = 'LocalCloudError'
    this.code = code
    if (extra?.errCode !== undefined) this.errCode = extra.errCode
    if (extra?.httpStatus !== undefined) this.httpStatus = extra.httpStatus
  }
}

export const CODES = {
  COLLECTION_NOT_EXIST: 'DATABASE_COLLECTION_NOT_EXIST',
  COLLECTION_ALREADY_EXIST: 'DATABASE_COLLECTION_ALREADY_EXIST',
  REQUEST_FAILED: 'DATABASE_REQUEST_FAILED',
  TRANSACTION_CONFLICT: 'DATABASE_TRANSACTION_CONFLICT',
  TRANSACTION_FAIL: 'DATABASE_TRANSACTION_FAIL',
  INVALID_PARAM: 'INVALID_PARAM',
  UNSUPPORTED_ACTION: 'LOCALCLOUD_UNSUPPORTED_ACTION',
  FUNCTION_NOT_FOUND: 'FUNCTION_NOT_FOUND',
  FUNCTION_TIMEOUT: 'FUNCTIONS_TIME_LIMIT_EXCEEDED',
  FUNCTION_EXECUTE_FAIL: 'FUNCTIONS_EXECUTE_FAIL'
} as const

/** Thrown by the store when a write would violate a unique index (MongoDB's E11000). */
export class DuplicateKeyError extends LocalCloudError {
  coll: string
  index: string
  /** id of the document already holding the key (in the state the write was checked against) */
  ownerKey: string
  constructor(coll: string, index: string, keyDesc: string, ownerKey: string) {
    super(CODES.REQUEST_FAILED, `E11000 duplicate key error collection: ${coll} index: ${index} dup key: ${keyDesc}`)
    this.coll = coll
    this.index = index
    this.ownerKey = ownerKey
  }
}

export function collectionNotExist(coll: string): LocalCloudError {
  return new LocalCloudError(CODES.COLLECTION_NOT_EXIST, `[ResourceNotFound] Db or Table not exist: ${coll}. Add it to database/collections.json (or db.createCollection).`)
}
