/**
 * The bench's figures, in the order they run. Each is one module; to add a
 * figure, write a module exporting a `Figure` and list it here.
 */
import type { Figure } from "../figure";
import { connectedDatabaseFigures } from "./connected";
import { apiFirstPage } from "./api";
import { filing } from "./filing";
import { bulkApprovalFigures } from "./bulk";
import { accessExportFigure, erasureFigure } from "./fulfilment";
import { csvDownloadFigure, importFigures } from "./import-and-csv";
import { peakMemory } from "./memory";
import { queueDeepPage, queueFirstPage, supporterRequest } from "./pages";
import { reportsPage } from "./reports";
import { statementsPerQueuePage } from "./statements";

export const FIGURES: Figure[] = [
  filing,
  queueFirstPage,
  queueDeepPage,
  supporterRequest,
  reportsPage,
  apiFirstPage,
  statementsPerQueuePage,
  accessExportFigure,
  // Erases the supporter the export figure reads, so after it.
  erasureFigure,
  // A burst of erasures approved in one bulk action by a worker of its own, the queue loaded meanwhile.
  bulkApprovalFigures,
  // A PostgreSQL of its own, seeded and stopped by the figure; the portal's server is idle meanwhile.
  connectedDatabaseFigures,
  // Reads every request; before the import, so it reads the database as seeded.
  csvDownloadFigure,
  // Adds 100,000 supporters with 900,000 records (BENCH_IMPORT_SUPPORTERS) to the database: after every figure that reads supporters.
  importFigures,
  // Last: the peak over everything the server did before it.
  peakMemory,
];
