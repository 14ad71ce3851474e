import path from 'node:path';
import { Controller, Get, Header, NotFoundException, Param, Res } from '@nestjs/common';
import type { Response } from 'express';
import { openApiDocument } from './openapi-document';

/** Where swagger-ui-dist keeps its files (served from our origin: no CDN, works offline). */
const SWAGGER_UI_DIR = path.dirname(require.resolve('swagger-ui-dist/package.json'));
const VIEWER_FILES = new Set(['swagger-ui.css', 'swagger-ui-bundle.js']);

/** No inline script: the api's Content-Security-Policy allows scripts from its own origin only. */
const PAGE = `<!doctype html>
<html lang="en">
<head><meta charset="utf-8"><title>ChatBox API</title><link rel="stylesheet" href="/api/docs/swagger-ui.css"></head>
<body><main id="docs"></main><script src="/api/docs/swagger-ui-bundle.js"></script><script src="/api/docs/init.js"></script></body>
</html>
`;
const INIT = `window.ui = SwaggerUIBundle({ url: '/api/docs/openapi.json', dom_id: '#docs', deepLinking: true, withCredentials: true });\n`;

/** GET /api/docs: the OpenAPI 3.1 document (openapi.json) and an interactive viewer (swagger-ui). */
@Controller('docs')
export class DocsController {
  private readonly document = openApiDocument('2');

  @Get()
  @Header('Content-Type', 'text/html; charset=utf-8')
  page(): string {
    return PAGE;
  }

  @Get('openapi.json')
  openApi(): Record<string, unknown> {
    return this.document;
  }

  @Get('init.js')
  @Header('Content-Type', 'text/javascript; charset=utf-8')
  init(): string {
    return INIT;
  }

  @Get(':file')
  viewerFile(@Param('file') file: string, @Res() res: Response): void {
    if (!VIEWER_FILES.has(file)) throw new NotFoundException();
    res.sendFile(path.join(SWAGGER_UI_DIR, file));
  }
}
