import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import type { TAttachment } from '@chatbox/contracts';
import { formatBytes, isInlineImage, thumbnailBox } from './attachment-display';

const attachment = (over: Partial<TAttachment>): TAttachment => ({ id: 'a', name: 'f', contentType: 'application/pdf', size: 1, url: '/u', thumbnailUrl: null, width: null, height: null, ...over });

describe('formatBytes', () => {
  test('bytes, then binary multiples with one decimal below 10', () => {
    assert.equal(formatBytes(0), '0 B');
    assert.equal(formatBytes(1023), '1023 B');
    assert.equal(formatBytes(1536), '1.5 KB');
    assert.equal(formatBytes(20 * 1024 * 1024), '20 MB');
    assert.equal(formatBytes(25 * 1024 * 1024 - 1), '25 MB');
    assert.equal(formatBytes(3.25 * 1024 ** 3), '3.3 GB');
  });
});

describe('attachments shown inline', () => {
  test('an image with a thumbnail is inline; an image without one (or any other file) is a card', () => {
    assert.equal(isInlineImage(attachment({ contentType: 'image/png', thumbnailUrl: '/t' })), true);
    assert.equal(isInlineImage(attachment({ contentType: 'image/svg+xml', thumbnailUrl: null })), false);
    assert.equal(isInlineImage(attachment({ contentType: 'application/pdf', thumbnailUrl: null })), false);
  });

  test('a thumbnail keeps the image shape, scaled down to fit, never up', () => {
    assert.deepEqual(thumbnailBox({ width: 1920, height: 1080 }), { width: 360, height: 203 });
    assert.deepEqual(thumbnailBox({ width: 300, height: 1200 }), { width: 60, height: 240 });
    assert.deepEqual(thumbnailBox({ width: 40, height: 30 }), { width: 40, height: 30 });
    assert.deepEqual(thumbnailBox({ width: null, height: null }), { width: 240, height: 240 });
  });
});
