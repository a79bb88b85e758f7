import { describeFacadeProperty, senderEntries } from './test-support/facade-fuzz.js';

describeFacadeProperty('sender', senderEntries);
