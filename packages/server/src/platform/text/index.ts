export * from './chinese.js';
