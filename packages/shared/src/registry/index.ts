export * from './categories.js';
export * from './dates.js';
export * from './identity.js';
export * from './masking.js';
export * from './names.js';
export * from './phone.js';
export * from './regions.js';
export * from './result.js';
