import { MemoryStore } from "../../server/store/MemoryStore.ts";
import { storeContract } from "../support/storeContract.ts";

describe("MemoryStore meets the store contract", () => {
  const store = new MemoryStore();
  storeContract(async () => store);
});
