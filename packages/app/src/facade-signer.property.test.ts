import { describeFacadeProperty, signerEntries } from './test-support/facade-fuzz.js';

describeFacadeProperty('signer', signerEntries);
