import { createHash, timingSafeEqual } from 'node:crypto';
import { createBullBoard } from '@bull-board/api';
import { BullMQAdapter } from '@bull-board/api/bullMQAdapter';
import { ExpressAdapter } from '@bull-board/express';
import type { Queue } from 'bullmq';
import express, { type RequestHandler, type Router } from 'express';

/** The dashboard's one user; its password is ADMIN_PASSWORD. */
export const ADMIN_USER = 'admin';

/**
 * The queue dashboard (bull-board) for `queues`, mounted at `basePath` behind HTTP basic auth. The
 * app mounts it only when ADMIN_PASSWORD is set, so without one the path answers 404.
 */
export function adminDashboard(options: { basePath: string; password: string; queues: Queue[] }): Router {
  const serverAdapter = new ExpressAdapter().setBasePath(options.basePath);
  createBullBoard({ queues: options.queues.map((queue) => new BullMQAdapter(queue)), serverAdapter });
  const router = express.Router();
  router.use(basicAuth(ADMIN_USER, options.password), serverAdapter.getRouter());
  return router;
}

function basicAuth(user: string, password: string): RequestHandler {
  const expected = digest(`${user}:${password}`);
  return (req, res, next) => {
    const [scheme, encoded] = (req.headers.authorization ?? '').split(' ');
    const given = scheme?.toLowerCase() === 'basic' && encoded ? Buffer.from(encoded, 'base64').toString('utf8') : '';
    // Digests have one length, so the comparison takes the same time whatever was sent.
    if (timingSafeEqual(digest(given), expected)) {
      next();
      return;
    }
    res.set('WWW-Authenticate', 'Basic realm="zhaoshang-bot queues", charset="UTF-8"').status(401).send('需要管理员密码 / authentication required');
  };
}

function digest(text: string): Buffer {
  return createHash('sha256').update(text).digest();
}
