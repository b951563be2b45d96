/** Registers every workbench (one import each). */
