import * as z from 'zod/mini';
import { GRADE_LABELS } from '../grading/glossary';
import type { YearChange } from '../grading/report';
import type { Grade } from '../grading/types';
import { AuditHeadSchema } from './common';
import type { Same } from './equal';

/** Response schemas of what anyone may read: receipt boards and published aggregates. */

export const GRADES = Object.keys(GRADE_LABELS) as [Grade, ...Grade[]];

export const GradeCountsSchema = z.partialRecord(z.enum(GRADES), z.number());

export const YearChangeSchema = z.object({
  previousYear: z.number(),
  previousTotal: z.number(),
  previousExcellent: z.number(),
  excellentCount: z.number(),
  excellentSharePoints: z.number(),
});
const _change: Same<z.output<typeof YearChangeSchema>, YearChange> = true;
void _change;

export const ReceiptBoardResponse = z.object({ receipts: z.array(z.string()), auditHead: AuditHeadSchema });

export const PublishedResultsResponse = z.object({
  assessment: z.object({ id: z.number(), name: z.string(), year: z.number() }),
  policy: z.object({ id: z.string(), version: z.number() }),
  groups: z.array(
    z.object({ id: z.string(), zh: z.string(), en: z.string(), total: z.number(), counts: GradeCountsSchema, excellentShare: z.number(), change: z.optional(YearChangeSchema) }),
  ),
  auditHead: AuditHeadSchema,
});
