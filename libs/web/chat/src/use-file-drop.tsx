'use client';
import { DragEvent, useRef, useState } from 'react';

const carriesFiles = (e: DragEvent) => [...e.dataTransfer.types].includes('Files');

/**
 * Files dragged over an area and dropped on it: `dragging` while they hover (for the "drop
 * here" overlay), `onFiles` with what was dropped. Text or links dragged around are left alone.
 */
export function useFileDrop(onFiles: (files: File[]) => void) {
  const [dragging, setDragging] = useState(false);
  // enter/leave fire for every child crossed: count them so the overlay does not flicker
  const depth = useRef(0);
  const handlers = {
    onDragEnter: (e: DragEvent) => {
      if (!carriesFiles(e)) return;
      e.preventDefault();
      depth.current += 1;
      setDragging(true);
    },
    onDragOver: (e: DragEvent) => {
      if (!carriesFiles(e)) return;
      e.preventDefault(); // allows the drop
      e.dataTransfer.dropEffect = 'copy';
    },
    onDragLeave: (e: DragEvent) => {
      if (!carriesFiles(e)) return;
      depth.current = Math.max(0, depth.current - 1);
      if (depth.current === 0) setDragging(false);
    },
    onDrop: (e: DragEvent) => {
      if (!carriesFiles(e)) return;
      e.preventDefault();
      depth.current = 0;
      setDragging(false);
      const files = [...e.dataTransfer.files];
      if (files.length > 0) onFiles(files);
    },
  };
  return { dragging, handlers };
}

export function DropOverlay({ label }: { label: string }) {
  return (
    <div className="drop-overlay" aria-hidden="true">
      <p>{label}</p>
    </div>
  );
}
