import { Hono } from 'hono';
import { CreateAssessmentRequest, CreateSittingRequest, CreateSubjectsRequest } from '../../shared/api';
import type { Db } from '../db/open';
import { requireRole, type AuthEnv } from '../http/auth';
import { idParam, jsonBody } from '../http/validate';
import { addSubjects, createAssessment, getAssessment, listAssessments, listSittings, listSubjects } from '../services/assessments';
import { createSitting } from '../services/sittings';

/** Assessments, their subjects and sittings: admins only. */
export function assessmentRoutes(db: Db) {
  return new Hono<AuthEnv>()
    .use(requireRole(db, 'admin'))
    .get('/', (c) => c.json({ assessments: listAssessments(db) }, 200))
    .post('/', jsonBody(CreateAssessmentRequest), (c) => {
      const { name, year } = c.req.valid('json');
      return c.json({ id: createAssessment(db, c.var.user.username, name, year) }, 201);
    })
    .get('/:id', (c) => {
      const id = idParam(c.req.param('id'));
      return c.json({ assessment: getAssessment(db, id), subjects: listSubjects(db, id), sittings: listSittings(db, id) }, 200);
    })
    .get('/:id/subjects', (c) => {
      const id = idParam(c.req.param('id'));
      getAssessment(db, id);
      return c.json({ subjects: listSubjects(db, id) }, 200);
    })
    .post('/:id/subjects', jsonBody(CreateSubjectsRequest), (c) => {
      const id = idParam(c.req.param('id'));
      return c.json({ subjects: addSubjects(db, c.var.user.username, id, c.req.valid('json')) }, 201);
    })
    .get('/:id/sittings', (c) => {
      const id = idParam(c.req.param('id'));
      getAssessment(db, id);
      return c.json({ sittings: listSittings(db, id) }, 200);
    })
    .post('/:id/sittings', jsonBody(CreateSittingRequest), (c) => {
      const id = idParam(c.req.param('id'));
      getAssessment(db, id);
      return c.json({ id: createSitting(db, c.var.user.username, id, c.req.valid('json')) }, 201);
    });
}
