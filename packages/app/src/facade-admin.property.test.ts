import { adminEntries, describeFacadeProperty, systemEntries } from './test-support/facade-fuzz.js';

describeFacadeProperty('admin and system', [...adminEntries, ...systemEntries]);
