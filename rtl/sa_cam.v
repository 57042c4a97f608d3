// sa_cam.v - the SA CAM, the RTL twin of struct sa_cam in hwmodel/sa_cam.[ch]: RX lookup by
// (SPI, protocol, destination address, IPv6 flag) -> SA index, the TX SA table read by offload
// handle, and the add/delete command port that the SAT block (sa_csr) drives.
//
// Index spaces: RX 0 .. RxEntries-1, TX 0 .. TxEntries-1 (sa_cam_params.rx_entries /
// tx_entries; index ports are 16 bits, so at most SA_CAM_MAX_ENTRIES = 65536 each).
//
// RX lookup (sa_cam_rx_lookup + sa_cam_rx_get), latency 2 (cam_latency): a real CAM. Cycle t:
// the request key (IPv4: only daddr bytes 0..3 count, bytes 4..15 are masked to 0 as key_norm()
// does) is compared with every valid entry in parallel and the match lines are registered.
// Cycle t+1: the priority encoder picks the lowest matching index (at most one entry can match,
// add refuses duplicates, so "lowest" only makes the hardware total) and reads its cfg. The
// answer is on rx_rsp_*_o in cycle t+2. It is the answer for the table as it was in cycle t (the
// C model looks up in an eval, before that cycle's CSR write lands): a delete in cycle t is the
// only command that can change an entry on a match line (add writes a free entry, which has no
// match line), so stage 1 keeps the deleted entry's old cfg for the encoder stage.
// TX lookup (sa_cam_tx_get), latency 2: cycle t reads the entry at the handle (a RAM read, a
// snapshot of cycle t), cycle t+1 is the output register. Miss = out of range or free.
// Response ports are 0 whenever valid or hit is 0, so every port compares every cycle.
//
// Commands (sa_cam_rx_add / rx_del / tx_add / tx_del), one per cycle: with cmd_valid_i in cycle
// t the table changes at the edge ending t (as the C model changes in a commit) and done_o,
// status_o, index_o hold the outcome in cycle t+1 (done_o for one cycle). Add takes the lowest
// index that is neither valid nor held (a priority encoder, the same order as the C allocator's
// lowest-free bitmap scan, so handles agree). Error order as sa_cam.c: -EINVAL (RX: SPI 0, proto
// != 50, v6 > 1, cfg out of range, OUTER_V6 flag; TX: SPI 0, cfg), then RX -EEXIST (a second
// set of comparators on the command key; checked before capacity), then -ENOSPC. Delete: index
// out of range -EINVAL, free index -ENOENT, else the entry is zeroed.
//
// HELD (sa_csr.h): a deleted slot stays HELD (lookups miss, index not handed out) until FREE.
// The hardware allocator is a priority encoder over (valid | held), so held masks come in as
// rx_held_i / tx_held_i from the SAT block, which owns the HELD state (the C model masks them
// into the allocator around an add, mask_held()). A held bit must only be set on a free index.
//
// Cost at the RTL defaults (64 + 64) vs the C default (1024 + 1024): an RX entry is 1 valid +
// 32 SPI + 1 v6 + 128 daddr key bits (proto is always 50 when valid: not stored) + 9 cfg bits
// = 171 flops and two 162-bit equality comparators (search key and command key); a TX entry is
// 1 + 32 + 9 + 256 = 298 bits of RAM. 64 + 64 entries: ~30 kbit, 128 comparators. 1024 + 1024:
// ~480 kbit (175 kbit of it CAM cells with 2048 162-bit comparators, a 1024-input priority
// encoder and OR-tree per lookup); at that size the command comparators would be dropped and
// the add's -EEXIST check would borrow the search port for one cycle.
module sa_cam #(
  parameter integer RxEntries = 64, // sa_cam_params.rx_entries (C default 1024), 1 .. 65536
  parameter integer TxEntries = 64  // sa_cam_params.tx_entries (C default 1024), 1 .. 65536
) (
  input  wire                 clk_i,
  input  wire                 rst_ni,          // device reset: every entry free and zero
  // ---- RX lookup (struct sa_rx_key) ----
  input  wire                 rx_req_valid_i,
  input  wire [31:0]          rx_req_spi_i,
  input  wire [7:0]           rx_req_proto_i,
  input  wire                 rx_req_v6_i,
  input  wire [127:0]         rx_req_daddr_i,  // byte i at [127-8i -: 8]; IPv4 in bytes 0..3
  output reg                  rx_rsp_valid_o,
  output reg                  rx_rsp_hit_o,    // sa_cam_rx_lookup() >= 0
  output reg  [15:0]          rx_rsp_idx_o,    // the index (0 on a miss)
  output reg  [7:0]           rx_rsp_mode_o,   // struct sa_cam_cfg of the entry (0 on a miss)
  output reg  [7:0]           rx_rsp_offload_o,
  output reg  [7:0]           rx_rsp_icv_len_o,
  output reg  [7:0]           rx_rsp_flags_o,
  // ---- TX lookup by handle (sa_cam_tx_get) ----
  input  wire                 tx_req_valid_i,
  input  wire [31:0]          tx_req_idx_i,
  output reg                  tx_rsp_valid_o,
  output reg                  tx_rsp_hit_o,    // sa_cam_tx_get() != NULL
  output reg  [31:0]          tx_rsp_spi_o,    // struct sa_cam_tx_entry (0 on a miss)
  output reg  [7:0]           tx_rsp_mode_o,
  output reg  [7:0]           tx_rsp_offload_o,
  output reg  [7:0]           tx_rsp_icv_len_o,
  output reg  [7:0]           tx_rsp_flags_o,
  output reg  [127:0]         tx_rsp_saddr_o,  // outer_saddr
  output reg  [127:0]         tx_rsp_daddr_o,  // outer_daddr
  // ---- commands ----
  input  wire                 cmd_valid_i,
  input  wire [1:0]           cmd_op_i,        // 0 RX add, 1 RX delete, 2 TX add, 3 TX delete
  input  wire [31:0]          cmd_idx_i,       // delete: the index (uint32_t idx)
  input  wire [31:0]          cmd_spi_i,       // add: key.spi / tx_entry.spi
  input  wire [7:0]           cmd_proto_i,     // RX add: key.proto
  input  wire [7:0]           cmd_v6_i,        // RX add: key.v6 (uint8_t: 2..255 is -EINVAL)
  input  wire [127:0]         cmd_daddr_i,     // RX add: key.daddr; TX add: outer_daddr
  input  wire [127:0]         cmd_saddr_i,     // TX add: outer_saddr
  input  wire [7:0]           cmd_mode_i,      // add: struct sa_cam_cfg
  input  wire [7:0]           cmd_offload_i,
  input  wire [7:0]           cmd_icv_len_i,
  input  wire [7:0]           cmd_flags_i,
  input  wire [RxEntries-1:0] rx_held_i,       // HELD RX indices (sa_csr), skipped by RX add
  input  wire [TxEntries-1:0] tx_held_i,       // HELD TX indices (sa_csr), skipped by TX add
  output reg                  done_o,          // a command finished (one cycle)
  output reg  [2:0]           status_o,        // 0 OK, 1 -EINVAL, 2 -EEXIST, 3 -ENOSPC, 4 -ENOENT
  output reg  [15:0]          index_o,         // add: the new index (0 on error)
  output reg  [16:0]          rx_count_o,      // sa_cam_rx_count(): valid RX entries
  output reg  [16:0]          tx_count_o       // sa_cam_tx_count(): valid TX entries
);

  // index bits of each table (at least 1, so a one-entry table still has an index port to slice)
  localparam integer RxIdxW = RxEntries > 1 ? $clog2(RxEntries) : 1;
  localparam integer TxIdxW = TxEntries > 1 ? $clog2(TxEntries) : 1;

  localparam [1:0] OpRxAdd = 2'd0, OpRxDel = 2'd1, OpTxAdd = 2'd2, OpTxDel = 2'd3;
  localparam [2:0] StOk = 3'd0, StInval = 3'd1, StExist = 3'd2, StNoSpc = 3'd3, StNoEnt = 3'd4;
  localparam [7:0] ProtoEsp = 8'd50; // SA_CAM_PROTO_ESP
  localparam [7:0] CfgEsn = 8'h01, CfgOuterV6 = 8'h02; // SA_CFG_ESN, SA_CFG_OUTER_V6

  // ---- the tables ----------------------------------------------------------------------------
  // cfg packed as {flags[1:0], icv_len[4:0], offload, mode}: the values cfg_ok() accepts.
  reg [RxEntries-1:0] rx_valid_q;
  reg [31:0]          rx_spi_q   [0:RxEntries-1];
  reg                 rx_v6_q    [0:RxEntries-1];
  reg [127:0]         rx_daddr_q [0:RxEntries-1]; // normalised: IPv4 bytes 4..15 zero
  reg [8:0]           rx_cfg_q   [0:RxEntries-1];
  reg [TxEntries-1:0] tx_valid_q;
  reg [31:0]          tx_spi_q   [0:TxEntries-1];
  reg [8:0]           tx_cfg_q   [0:TxEntries-1];
  reg [127:0]         tx_saddr_q [0:TxEntries-1];
  reg [127:0]         tx_daddr_q [0:TxEntries-1];

  // ---- RX lookup, stage 1: match lines ---------------------------------------------------------
  wire [127:0] req_key_daddr = rx_req_v6_i ? rx_req_daddr_i : {rx_req_daddr_i[127:96], 96'd0};
  reg  [RxEntries-1:0] match_d;
  integer m;
  always @* begin
    for (m = 0; m < RxEntries; m = m + 1)
      match_d[m] = rx_valid_q[m] && rx_spi_q[m] == rx_req_spi_i && rx_req_proto_i == ProtoEsp &&
                   rx_v6_q[m] == rx_req_v6_i && rx_daddr_q[m] == req_key_daddr;
  end

  reg                 s1_rx_valid_q;
  reg [RxEntries-1:0] s1_match_q;
  // a delete in the lookup's first cycle: which entry, and its cfg before it was zeroed
  reg                 s1_del_q;
  reg [15:0]          s1_del_idx_q;
  reg [8:0]           s1_del_cfg_q;

  // ---- RX lookup, stage 2: priority encoder and cfg read ---------------------------------------
  reg        enc_hit;
  reg [15:0] enc_idx;
  reg [8:0]  enc_cfg;
  integer e;
  always @* begin
    enc_hit = 1'b0;
    enc_idx = 16'd0;
    for (e = RxEntries - 1; e >= 0; e = e - 1) begin
      if (s1_match_q[e]) begin
        enc_hit = 1'b1;
        enc_idx = e[15:0];
      end
    end
    enc_cfg = 9'd0;
    if (enc_hit)
      enc_cfg = (s1_del_q && s1_del_idx_q == enc_idx) ? s1_del_cfg_q
                                                      : rx_cfg_q[enc_idx[RxIdxW-1:0]];
  end

  // ---- TX lookup, stage 1: RAM read at the handle ----------------------------------------------
  wire tx_req_in_range = tx_req_idx_i < TxEntries;
  wire [TxIdxW-1:0] tx_req_idx = tx_req_idx_i[TxIdxW-1:0];
  wire tx_req_hit = tx_req_in_range && tx_valid_q[tx_req_idx];
  reg         s1_tx_valid_q;
  reg         s1_tx_hit_q;
  reg [31:0]  s1_tx_spi_q;
  reg [8:0]   s1_tx_cfg_q;
  reg [127:0] s1_tx_saddr_q, s1_tx_daddr_q;

  // ---- commands --------------------------------------------------------------------------------
  wire cfg_ok = cmd_mode_i <= 8'd1 && cmd_offload_i <= 8'd1 &&
                (cmd_icv_len_i == 8'd8 || cmd_icv_len_i == 8'd12 || cmd_icv_len_i == 8'd16) &&
                (cmd_flags_i & ~(CfgEsn | CfgOuterV6)) == 8'd0;
  wire [127:0] cmd_key_daddr = cmd_v6_i[0] ? cmd_daddr_i : {cmd_daddr_i[127:96], 96'd0};

  // -EEXIST: the command key against every valid RX entry (v6 is 0/1 here, checked first)
  reg exists;
  integer x;
  always @* begin
    exists = 1'b0;
    for (x = 0; x < RxEntries; x = x + 1)
      if (rx_valid_q[x] && rx_spi_q[x] == cmd_spi_i && rx_v6_q[x] == cmd_v6_i[0] &&
          rx_daddr_q[x] == cmd_key_daddr)
        exists = 1'b1;
  end

  // lowest free index of each table: priority encoders over ~(valid | held)
  reg        rx_free_any, tx_free_any;
  reg [15:0] rx_free_idx, tx_free_idx;
  integer f;
  always @* begin
    rx_free_any = 1'b0;
    rx_free_idx = 16'd0;
    for (f = RxEntries - 1; f >= 0; f = f - 1) begin
      if (!rx_valid_q[f] && !rx_held_i[f]) begin
        rx_free_any = 1'b1;
        rx_free_idx = f[15:0];
      end
    end
    tx_free_any = 1'b0;
    tx_free_idx = 16'd0;
    for (f = TxEntries - 1; f >= 0; f = f - 1) begin
      if (!tx_valid_q[f] && !tx_held_i[f]) begin
        tx_free_any = 1'b1;
        tx_free_idx = f[15:0];
      end
    end
  end

  // outcome of this cycle's command and the table write it implies
  reg        rx_we, rx_clr, tx_we, tx_clr; // write the add's entry / zero the deleted entry
  reg [15:0] wr_idx;
  reg [2:0]  status_d;
  reg [15:0] index_d;
  wire [15:0] cmd_idx16 = cmd_idx_i[15:0];
  always @* begin
    rx_we    = 1'b0;
    rx_clr   = 1'b0;
    tx_we    = 1'b0;
    tx_clr   = 1'b0;
    wr_idx   = 16'd0;
    status_d = StOk;
    index_d  = 16'd0;
    case (cmd_op_i)
      OpRxAdd: begin
        if (cmd_spi_i == 32'd0 || cmd_proto_i != ProtoEsp || cmd_v6_i > 8'd1 || !cfg_ok ||
            (cmd_flags_i & CfgOuterV6) != 8'd0)
          status_d = StInval;
        else if (exists)
          status_d = StExist;
        else if (!rx_free_any)
          status_d = StNoSpc;
        else begin
          rx_we   = 1'b1;
          wr_idx  = rx_free_idx;
          index_d = rx_free_idx;
        end
      end
      OpRxDel: begin
        if (cmd_idx_i >= RxEntries)
          status_d = StInval;
        else if (!rx_valid_q[cmd_idx16[RxIdxW-1:0]])
          status_d = StNoEnt;
        else begin
          rx_clr = 1'b1;
          wr_idx = cmd_idx16;
        end
      end
      OpTxAdd: begin
        if (cmd_spi_i == 32'd0 || !cfg_ok)
          status_d = StInval;
        else if (!tx_free_any)
          status_d = StNoSpc;
        else begin
          tx_we   = 1'b1;
          wr_idx  = tx_free_idx;
          index_d = tx_free_idx;
        end
      end
      OpTxDel: begin
        if (cmd_idx_i >= TxEntries)
          status_d = StInval;
        else if (!tx_valid_q[cmd_idx16[TxIdxW-1:0]])
          status_d = StNoEnt;
        else begin
          tx_clr = 1'b1;
          wr_idx = cmd_idx16;
        end
      end
    endcase
    if (!cmd_valid_i) begin
      rx_we  = 1'b0;
      rx_clr = 1'b0;
      tx_we  = 1'b0;
      tx_clr = 1'b0;
    end
  end

  // stored cfg: only the bits the values cfg_ok() accepts can have (upper bits are 0 then)
  wire [8:0] cmd_cfg = {cmd_flags_i[1:0], cmd_icv_len_i[4:0], cmd_offload_i[0], cmd_mode_i[0]};

  // ---- registers -------------------------------------------------------------------------------
  integer k;
  always @(posedge clk_i or negedge rst_ni) begin
    if (!rst_ni) begin
      rx_valid_q <= {RxEntries{1'b0}};
      for (k = 0; k < RxEntries; k = k + 1) begin
        rx_spi_q[k]   <= 32'd0;
        rx_v6_q[k]    <= 1'b0;
        rx_daddr_q[k] <= 128'd0;
        rx_cfg_q[k]   <= 9'd0;
      end
      tx_valid_q <= {TxEntries{1'b0}};
      for (k = 0; k < TxEntries; k = k + 1) begin
        tx_spi_q[k]   <= 32'd0;
        tx_cfg_q[k]   <= 9'd0;
        tx_saddr_q[k] <= 128'd0;
        tx_daddr_q[k] <= 128'd0;
      end
      s1_rx_valid_q    <= 1'b0;
      s1_match_q       <= {RxEntries{1'b0}};
      s1_del_q         <= 1'b0;
      s1_del_idx_q     <= 16'd0;
      s1_del_cfg_q     <= 9'd0;
      s1_tx_valid_q    <= 1'b0;
      s1_tx_hit_q      <= 1'b0;
      s1_tx_spi_q      <= 32'd0;
      s1_tx_cfg_q      <= 9'd0;
      s1_tx_saddr_q    <= 128'd0;
      s1_tx_daddr_q    <= 128'd0;
      rx_rsp_valid_o   <= 1'b0;
      rx_rsp_hit_o     <= 1'b0;
      rx_rsp_idx_o     <= 16'd0;
      rx_rsp_mode_o    <= 8'd0;
      rx_rsp_offload_o <= 8'd0;
      rx_rsp_icv_len_o <= 8'd0;
      rx_rsp_flags_o   <= 8'd0;
      tx_rsp_valid_o   <= 1'b0;
      tx_rsp_hit_o     <= 1'b0;
      tx_rsp_spi_o     <= 32'd0;
      tx_rsp_mode_o    <= 8'd0;
      tx_rsp_offload_o <= 8'd0;
      tx_rsp_icv_len_o <= 8'd0;
      tx_rsp_flags_o   <= 8'd0;
      tx_rsp_saddr_o   <= 128'd0;
      tx_rsp_daddr_o   <= 128'd0;
      done_o           <= 1'b0;
      status_o         <= 3'd0;
      index_o          <= 16'd0;
    end else begin
      // table writes (at most one command per cycle)
      if (rx_we) begin
        rx_valid_q[wr_idx[RxIdxW-1:0]] <= 1'b1;
        rx_spi_q[wr_idx[RxIdxW-1:0]]   <= cmd_spi_i;
        rx_v6_q[wr_idx[RxIdxW-1:0]]    <= cmd_v6_i[0];
        rx_daddr_q[wr_idx[RxIdxW-1:0]] <= cmd_key_daddr;
        rx_cfg_q[wr_idx[RxIdxW-1:0]]   <= cmd_cfg;
      end
      if (rx_clr) begin
        rx_valid_q[wr_idx[RxIdxW-1:0]] <= 1'b0;
        rx_spi_q[wr_idx[RxIdxW-1:0]]   <= 32'd0;
        rx_v6_q[wr_idx[RxIdxW-1:0]]    <= 1'b0;
        rx_daddr_q[wr_idx[RxIdxW-1:0]] <= 128'd0;
        rx_cfg_q[wr_idx[RxIdxW-1:0]]   <= 9'd0;
      end
      if (tx_we) begin
        tx_valid_q[wr_idx[TxIdxW-1:0]] <= 1'b1;
        tx_spi_q[wr_idx[TxIdxW-1:0]]   <= cmd_spi_i;
        tx_cfg_q[wr_idx[TxIdxW-1:0]]   <= cmd_cfg;
        tx_saddr_q[wr_idx[TxIdxW-1:0]] <= cmd_saddr_i;
        tx_daddr_q[wr_idx[TxIdxW-1:0]] <= cmd_daddr_i;
      end
      if (tx_clr) begin
        tx_valid_q[wr_idx[TxIdxW-1:0]] <= 1'b0;
        tx_spi_q[wr_idx[TxIdxW-1:0]]   <= 32'd0;
        tx_cfg_q[wr_idx[TxIdxW-1:0]]   <= 9'd0;
        tx_saddr_q[wr_idx[TxIdxW-1:0]] <= 128'd0;
        tx_daddr_q[wr_idx[TxIdxW-1:0]] <= 128'd0;
      end
      done_o   <= cmd_valid_i;
      status_o <= cmd_valid_i ? status_d : 3'd0;
      index_o  <= cmd_valid_i ? index_d : 16'd0;

      // RX lookup pipe
      s1_rx_valid_q <= rx_req_valid_i;
      s1_match_q    <= rx_req_valid_i ? match_d : {RxEntries{1'b0}};
      s1_del_q      <= rx_clr;
      s1_del_idx_q  <= wr_idx;
      s1_del_cfg_q  <= rx_cfg_q[wr_idx[RxIdxW-1:0]];
      rx_rsp_valid_o   <= s1_rx_valid_q;
      rx_rsp_hit_o     <= enc_hit;
      rx_rsp_idx_o     <= enc_idx;
      rx_rsp_mode_o    <= {7'd0, enc_cfg[0]};
      rx_rsp_offload_o <= {7'd0, enc_cfg[1]};
      rx_rsp_icv_len_o <= {3'd0, enc_cfg[6:2]};
      rx_rsp_flags_o   <= {6'd0, enc_cfg[8:7]};

      // TX lookup pipe
      s1_tx_valid_q <= tx_req_valid_i;
      s1_tx_hit_q   <= tx_req_valid_i && tx_req_hit;
      s1_tx_spi_q   <= (tx_req_valid_i && tx_req_hit) ? tx_spi_q[tx_req_idx]   : 32'd0;
      s1_tx_cfg_q   <= (tx_req_valid_i && tx_req_hit) ? tx_cfg_q[tx_req_idx]   : 9'd0;
      s1_tx_saddr_q <= (tx_req_valid_i && tx_req_hit) ? tx_saddr_q[tx_req_idx] : 128'd0;
      s1_tx_daddr_q <= (tx_req_valid_i && tx_req_hit) ? tx_daddr_q[tx_req_idx] : 128'd0;
      tx_rsp_valid_o   <= s1_tx_valid_q;
      tx_rsp_hit_o     <= s1_tx_hit_q;
      tx_rsp_spi_o     <= s1_tx_spi_q;
      tx_rsp_mode_o    <= {7'd0, s1_tx_cfg_q[0]};
      tx_rsp_offload_o <= {7'd0, s1_tx_cfg_q[1]};
      tx_rsp_icv_len_o <= {3'd0, s1_tx_cfg_q[6:2]};
      tx_rsp_flags_o   <= {6'd0, s1_tx_cfg_q[8:7]};
      tx_rsp_saddr_o   <= s1_tx_saddr_q;
      tx_rsp_daddr_o   <= s1_tx_daddr_q;
    end
  end

  // ---- counts (sa_cam_rx_count / tx_count): population counts of the valid bits --------------
  integer c;
  always @* begin
    rx_count_o = 17'd0;
    for (c = 0; c < RxEntries; c = c + 1)
      rx_count_o = rx_count_o + {16'd0, rx_valid_q[c]};
    tx_count_o = 17'd0;
    for (c = 0; c < TxEntries; c = c + 1)
      tx_count_o = tx_count_o + {16'd0, tx_valid_q[c]};
  end

endmodule
