import * as z from 'zod/mini';

/** A subject (考核对象) as the console receives it. */
export const SubjectSchema = z.object({
  id: z.number(),
  assessmentId: z.number(),
  key: z.string(),
  kind: z.enum(['team', 'cadre']),
  name: z.string(),
  title: z.string(),
  category: z.nullable(z.string()),
  type: z.nullable(z.string()),
  teamKey: z.nullable(z.string()),
  role: z.nullable(z.enum(['principal', 'deputy'])),
});

export const SubjectResponse = z.object({ subject: SubjectSchema });
