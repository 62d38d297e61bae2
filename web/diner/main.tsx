import { render } from 'preact';
import '../shared/base.css';
render(<p>diner</p>, document.getElementById('app')!);
