import { buildBot } from './bot-process';

/** The bot's own processes run the bundle that `npm start` runs, built from this checkout's source. */
export default function setup() {
  buildBot();
}
