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
  // Last: the peak over everything the server did before it.
  peakMemory,
];
