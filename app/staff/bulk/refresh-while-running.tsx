"use client";

import { useRouter } from "next/navigation";
import { useEffect } from "react";

/** While a bulk action is under way, its page fetches its progress again every second; no reload. */
export function RefreshWhileRunning({ running }: { running: boolean }) {
  const router = useRouter();
  useEffect(() => {
    if (!running) return;
    const timer = setInterval(() => router.refresh(), 1000);
    return () => clearInterval(timer);
  }, [running, router]);
  return null;
}
