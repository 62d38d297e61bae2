/** `npm run openapi`: writes docs/openapi.json and docs/websocket.md from the edge contract (bin/openapi-document.ts). */
import { writeFileSync } from 'node:fs';
import path from 'node:path';
import { openApiDocument, websocketReference } from './openapi-document.ts';

const docs = path.resolve(import.meta.dirname, '../docs');
writeFileSync(path.join(docs, 'openapi.json'), `${JSON.stringify(openApiDocument(), null, 2)}\n`);
writeFileSync(path.join(docs, 'websocket.md'), websocketReference());
console.log('Wrote docs/openapi.json and docs/websocket.md');
