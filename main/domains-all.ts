/** Registers every workbench (one import each). */
import './mip/service.ts';
import './grid/service.ts';
import './circuit/service.ts';
