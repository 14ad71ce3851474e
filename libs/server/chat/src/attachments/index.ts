export * from './attachment.mapper';
export * from './attachment.repository';
export * from './attachment-upload.service';
export * from './attachment-read.service';
export * from './attachment-purger';
export * from './content-type';
