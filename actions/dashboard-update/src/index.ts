import { run } from '@pipeline-actions/kit';
import { main } from './main.js';

void run(main);
