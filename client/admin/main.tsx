import { render } from 'preact';
import './admin.css';
import { App } from './app';
import { lang, setLang } from './i18n';

setLang(lang.value);
render(<App />, document.getElementById('app')!);
