/**
 * A student's contact facts — last contact, last in-home visit, the latest record's open follow-up, the registry
 * entry — computed inside the database by aggregation stages appended to any query whose documents carry
 * `studentId` (the teacher's assignments, the registry). Only dates and the follow-up leave the database, never a
 * record's contents, so "my work", the registry list and the reminders cost one request each whatever the number
 * of records.
 */
import { HOME_VISIT } from '@/shared/visits'

type Stage = Record<string, unknown>

const trusted = (input: string, as: string, extra: unknown[] = []) => ({
  $filter: { input, as, cond: { $and: [{ $not: [`$$${as}._openid`] }, ...extra] } }
})
const maxDate = (input: unknown) => ({ $max: { $map: { input, as: 'x', in: '$$x.date' } } })

export interface FactsRow {
  _id: string
  studentId: string
  /** the student now (name, class, status) */
  student: { name?: string; classId?: string; className?: string; status?: string; schoolId?: string; countyId?: string } | null
  lastContactAt: Date | string | null
  lastHomeVisitAt: Date | string | null
  /** the latest record's follow-up (open when needed) */
  followUp: { needed?: boolean; by?: Date | string | null; note?: string } | null
  followUpRecordId: string | null
  /** the active registry entry */
  registry: { registeredAt: Date | string; intervalDays: number; categories: string[]; note?: string } | null
}

/** Stages adding the facts to each document (which keeps the fields listed in `keep`). */
export function factStages(keep: string[]): Stage[] {
  const project: Record<string, unknown> = {
    studentId: 1,
    lastContactAt: 1,
    lastHomeVisitAt: 1,
    followUp: '$latest.followUp',
    followUpRecordId: '$latest._id',
    student: { name: '$stu.name', classId: '$stu.classId', className: '$stu.className', status: '$stu.status', schoolId: '$stu.schoolId', countyId: '$stu.countyId' },
    registry: { registeredAt: '$reg.registeredAt', intervalDays: '$reg.intervalDays', categories: '$reg.categories', note: '$reg.note' }
  }
  for (const k of keep) project[k] = 1
  return [
    { $lookup: { from: 'visitRecords', localField: 'studentId', foreignField: 'studentId', as: 'visits' } },
    { $lookup: { from: 'specialRegistry', localField: 'studentId', foreignField: '_id', as: 'registry' } },
    { $lookup: { from: 'students', localField: 'studentId', foreignField: '_id', as: 'student' } },
    {
      $addFields: {
        visits: trusted('$visits', 'v'),
        reg: { $arrayElemAt: [trusted('$registry', 'r', [{ $not: ['$$r.endedAt'] }]), 0] },
        stu: { $arrayElemAt: [trusted('$student', 's'), 0] }
      }
    },
    {
      $addFields: {
        lastContactAt: maxDate('$visits'),
        lastHomeVisitAt: maxDate({ $filter: { input: '$visits', as: 'h', cond: { $eq: ['$$h.type', HOME_VISIT] } } }),
        // the latest record (by contact day, then by when it was written)
        latest: {
          $reduce: {
            input: '$visits',
            initialValue: { _id: null, date: new Date(0), createdAt: new Date(0), followUp: null },
            in: {
              $cond: [
                { $or: [{ $gt: ['$$this.date', '$$value.date'] }, { $and: [{ $eq: ['$$this.date', '$$value.date'] }, { $gt: ['$$this.createdAt', '$$value.createdAt'] }] }] },
                '$$this',
                '$$value'
              ]
            }
          }
        }
      }
    },
    { $project: project }
  ]
}

const ms = (d: Date | string | null | undefined): number | null => (d ? new Date(d).getTime() : null)

/** The facts as numbers: epoch ms, null when none; the registry only when there is an active entry. */
export function factsOf(row: FactsRow) {
  const reg = row.registry?.registeredAt ? row.registry : null
  return {
    lastContactAt: ms(row.lastContactAt),
    lastHomeVisitAt: ms(row.lastHomeVisitAt),
    followUpBy: row.followUp?.needed && row.followUp.by ? ms(row.followUp.by) : null,
    followUpNote: row.followUp?.needed ? (row.followUp.note ?? '') : '',
    followUpRecordId: row.followUp?.needed ? row.followUpRecordId : null,
    registry: reg ? { registeredAt: ms(reg.registeredAt) as number, intervalDays: reg.intervalDays, categories: reg.categories ?? [], note: reg.note ?? '' } : null
  }
}
