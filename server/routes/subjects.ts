import { Hono } from 'hono';
import { UpdateSubjectRequest } from '../../shared/api';
import { Ok } from '../../shared/contract/common';
import { SubjectResponse } from '../../shared/contract/subjects';
import type { Db } from '../db/database';
import { requireRole, type AuthEnv } from '../http/auth';
import { endpoint } from '../http/route';
import { idParam, jsonBody } from '../http/validate';
import { deleteSubject, updateSubject } from '../services/subjects/subjects';

const edit = endpoint({ summary: 'Edit a subject', errors: { 404: ['unknown_subject'], 409: ['duplicate_subject_key'] }, responses: { 200: SubjectResponse } });
const remove = endpoint({ summary: 'Delete a subject no sitting uses', errors: { 404: ['unknown_subject'], 409: ['subject_in_use'] }, responses: { 200: Ok } });

/** /api/admin/subjects: a subject's edits after import (admins only). */
export function subjectRoutes(db: Db) {
  const adminOnly = requireRole(db, 'admin');
  return new Hono<AuthEnv>()
    .post('/:id', adminOnly, edit.doc, jsonBody(UpdateSubjectRequest), async (c) => {
      const id = idParam(c.req.param('id'));
      return edit.json(c, { subject: await updateSubject(db, c.var.user.username, id, c.req.valid('json')) }, 200);
    })
    .post('/:id/delete', adminOnly, remove.doc, async (c) => {
      await deleteSubject(db, c.var.user.username, idParam(c.req.param('id')));
      return remove.json(c, { ok: true }, 200);
    });
}
