/** Diner app entry: opened from the table's QR code as `/?table=<table code>`. */
import { render } from 'preact';
import '../shared/base.css';
import './diner.css';
import './messages.ts';
import { keepTitle, lang, t } from '../shared/i18n.ts';
import { App } from './app.tsx';
import { boot } from './session.ts';

document.documentElement.lang = lang.value;
keepTitle(() => t('app.title'));
render(<App />, document.getElementById('app')!);
void boot();
