import { test } from 'node:test';
import assert from 'node:assert/strict';
import { isTransferPath } from './routes';

const id = '0e8a5b2c-1234-4abc-8def-0123456789ab';

test('uploads, attachment bytes, thumbnails and the export are transfers', () => {
  for (const path of ['/api/uploads', `/api/attachments/${id}/file/report%20final.pdf`, `/api/attachments/${id}/thumbnail`, '/api/me/export']) {
    assert.equal(isTransferPath(path), true, path);
  }
});

test('nothing else is: other routes, longer or shorter paths, other spellings', () => {
  const others = [
    '/api/me', '/api/conversations/x/messages', '/api/health', '/api/uploadsx', '/api/uploads/x', `/api/attachments/${id}`,
    `/api/attachments/${id}/file`, `/api/attachments/${id}/file/a/b`, `/api/attachments//file/a`, '/uploads', '/api/me/export/x', '/API/uploads',
  ];
  for (const path of others) assert.equal(isTransferPath(path), false, path);
});
