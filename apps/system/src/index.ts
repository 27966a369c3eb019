export { Chain, type ChainOptions, DEMO_BINDKEY, demoMeters } from './chain.js';
export { CONTRACT_FLOWS, type FlowSummary, ServerApi } from './server-api.js';
