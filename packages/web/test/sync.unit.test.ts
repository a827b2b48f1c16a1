import 'fake-indexeddb/auto';
import { beforeEach, describe, expect, it, vi } from 'vitest';

// the API as the phone meets it: each test says what the server answers
const server = vi.hoisted(() => ({
  record: vi.fn(),
  update: vi.fn(),
  uploadPhoto: vi.fn(),
  csrf: vi.fn(async () => true),
}));
vi.mock('../src/api/visits', () => ({
  visitsApi: { record: server.record, update: server.update, uploadPhoto: server.uploadPhoto },
}));
vi.mock('../src/api/client', async (original) => ({
  ...(await original<typeof import('../src/api/client')>()),
  ensureCsrfToken: server.csrf,
}));

import { ApiError } from '../src/api/client';
import { type Draft, drafts } from '../src/modules/visits/drafts';
import { requeue, sendDraft, syncDrafts } from '../src/modules/visits/sync';

const draft = (clientKey: string, userId: string, photos: Draft['photos'] = []): Draft => ({
  clientKey,
  userId,
  kind: 'create',
  targetName: '赵淑芬',
  body: { targetId: 't1' },
  photos,
  savedAt: '2026-01-10T08:00:00.000Z',
  state: 'pending',
});
const photo = (id: string) => ({ id, name: `${id}.jpg`, type: 'image/jpeg' as const, size: 3 });
const jpeg = () => new Blob([new Uint8Array([0xff, 0xd8, 0xff])], { type: 'image/jpeg' });
const problem = (status: number, title: string) => new ApiError({ status, code: `e${status}`, title });
const visit = (id: string) => ({ id }) as never;

beforeEach(async () => {
  for (const d of await drafts.all()) await drafts.remove(d.clientKey);
  server.record.mockReset();
  server.update.mockReset();
  server.uploadPhoto.mockReset();
  server.csrf.mockReset();
  server.csrf.mockResolvedValue(true);
});

describe('the offline outbox (modules/visits/sync.ts) against a fake IndexedDB', () => {
  it('sends a user’s pending drafts with their photos once, then removes them; another user’s draft stays', async () => {
    server.record.mockResolvedValueOnce(visit('v1'));
    server.uploadPhoto.mockResolvedValueOnce({ id: 'sp1' });
    await drafts.put(draft('k1', 'u1', [photo('p1')]), new Map([['p1', jpeg()]]));
    await drafts.put(draft('k2', 'u2'));

    expect(await syncDrafts('u1')).toEqual({ sent: 1, conflicts: 0, pending: 0, refusedPhotos: [] });
    expect(server.record).toHaveBeenCalledWith({ targetId: 't1', clientKey: 'k1' });
    expect(server.uploadPhoto).toHaveBeenCalledTimes(1);
    expect(server.uploadPhoto.mock.calls[0]?.[0]).toBe('v1');
    expect(await drafts.get('k1')).toBeUndefined();
    expect(await drafts.photo('p1')).toBeUndefined();
    expect((await drafts.all()).map((d) => d.clientKey)).toEqual(['k2']);
  });

  it('keeps a draft whose photo upload failed on the network, and resumes with the photo only', async () => {
    server.record.mockResolvedValueOnce(visit('v1'));
    server.uploadPhoto.mockRejectedValueOnce(problem(503, '服务暂不可用'));
    await drafts.put(draft('k1', 'u1', [photo('p1')]), new Map([['p1', jpeg()]]));

    expect(await syncDrafts('u1')).toMatchObject({ sent: 0, pending: 1 });
    const kept = await drafts.get('k1');
    expect(kept).toMatchObject({ saved: true, visitId: 'v1', state: 'pending' });

    server.uploadPhoto.mockResolvedValueOnce({ id: 'sp1' });
    expect(await syncDrafts('u1')).toMatchObject({ sent: 1, pending: 0 });
    // the visit was not recorded twice
    expect(server.record).toHaveBeenCalledTimes(1);
    expect(server.uploadPhoto).toHaveBeenCalledTimes(2);
    expect(await drafts.get('k1')).toBeUndefined();
  });

  it('drops a photo the server refuses, reports it, and still sends the visit', async () => {
    server.record.mockResolvedValueOnce(visit('v1'));
    server.uploadPhoto.mockRejectedValueOnce(problem(415, '不支持的图片格式'));
    await drafts.put(draft('k1', 'u1', [photo('p1')]), new Map([['p1', jpeg()]]));

    const r = await syncDrafts('u1');
    expect(r).toMatchObject({ sent: 1, pending: 0 });
    expect(r.refusedPhotos).toEqual([{ targetName: '赵淑芬', name: 'p1.jpg', message: '不支持的图片格式' }]);
    expect(await drafts.get('k1')).toBeUndefined();
  });

  it('marks a conflict for the user, skips it on the next sync, and sends it again after 重试', async () => {
    server.record.mockRejectedValueOnce(problem(409, '该对象已被他人修改'));
    await drafts.put(draft('k1', 'u1'));

    expect(await syncDrafts('u1')).toMatchObject({ sent: 0, conflicts: 1 });
    expect(await drafts.get('k1')).toMatchObject({ state: 'conflict', message: '该对象已被他人修改' });
    expect(await syncDrafts('u1')).toMatchObject({ sent: 0, conflicts: 1 });
    expect(server.record).toHaveBeenCalledTimes(1);

    await requeue('k1');
    server.record.mockResolvedValueOnce(visit('v1'));
    expect(await syncDrafts('u1')).toMatchObject({ sent: 1, conflicts: 0 });
    expect(await drafts.get('k1')).toBeUndefined();
  });

  it('sends nothing without a CSRF token (an app opened offline), and the form’s send of a gone draft is null', async () => {
    server.csrf.mockResolvedValue(false);
    await drafts.put(draft('k1', 'u1'));
    expect(await syncDrafts('u1')).toMatchObject({ sent: 0, pending: 1 });
    expect(server.record).not.toHaveBeenCalled();
    expect(await drafts.get('k1')).toMatchObject({ state: 'pending' });

    expect(await sendDraft('nothing')).toEqual({ outcome: null, refusedPhotos: [] });
  });

  it('sends an edit of a recorded visit as an update', async () => {
    server.update.mockResolvedValueOnce(visit('v9'));
    await drafts.put({ ...draft('k1', 'u1'), kind: 'edit', visitId: 'v9', body: { version: 2 } as Draft['body'] });
    const { outcome } = await sendDraft('k1');
    expect(outcome).toEqual({ state: 'sent', visit: { id: 'v9' } });
    expect(server.update).toHaveBeenCalledWith('v9', { version: 2 });
    expect(server.record).not.toHaveBeenCalled();
  });
});
