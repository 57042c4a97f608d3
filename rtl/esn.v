// esn.v - per-SA sequence number state of one direction, the RTL twin of struct esn_table in
// hwmodel/esn.[ch] (rules as implemented: docs/esn.md, RFC 4303 s3.3.3, s3.4.3, Appendix A).
//
// Per SA (index 0 .. Entries-1): sn (64; TX: last SN assigned; RX packet: window top T; RX
// crypto: window bottom B), window (32; W), kind (FREE / TX / RX_PACKET / RX_CRYPTO) and the esn
// flag, plus a bitmap row of RowBits bits (the smallest power of two >= MaxWindow, at least 32),
// circular: SN s is bit s mod RowBits; an advance clears the bits of the SNs that enter the
// window (the whole row when the jump is RowBits or more) and never shifts.
//
// Ports and timing (one clock domain; every result is registered, visible the cycle after the
// request, 1 cycle as ESN_CHECK_CYCLES / ESN_UPDATE_CYCLES / ESN_TX_CYCLES):
//   chk_*  esn_rx_check(): pure. Full SN (A2.2 inference for ESN) and OK / REPLAY / TOO_OLD,
//          -EINVAL when idx is not an RX packet SA. One read of the SA word and its row.
//   hi_*   esn_rx_seq_hi(): pure. The A2.2 rule from the window bottom (crypto offload):
//          Seqh = Bh if Seql >= Bl else Bh + 1 (-ERANGE when Bh = 2^32-1, seqh then 0);
//          0 on a non-ESN SA; -EINVAL when idx is not an RX crypto SA.
//   get_*  esn_get(): the SA's state (all 0 for a free or out-of-range index).
//   cmd_*  every state change, one per cycle (one read-modify-write port on the SA word and the
//          row): configure TX / RX packet / RX crypto, clear, TX next, RX update, TX set, RX set,
//          RX advance. The change lands on the edge that ends the request cycle (as the C model
//          changes state in a commit); done_o / status_o / sn_o show the outcome one cycle later.
// The read ports see the state before the same cycle's command (a C eval reads q), so a check
// and the update of the same SA in one cycle give the check the old window, as in the model.
//
// Status codes (status_o, chk_status_o, hi_status_o): 0 OK (ESN_OK), 1 REPLAY, 2 TOO_OLD,
// 3 -EINVAL, 4 -EOVERFLOW, 5 -ERANGE.
//
// Cost at the defaults (64 SAs, MaxWindow 128): 64 x (64 + 32 + 2 + 1) state bits + 64 x 128
// row bits = 14.5 kbit; the C default (1024 RX SAs, replay_window up to 1024) would be
// 1024 x (99 + 1024) = 1.1 Mbit, a RAM with one RMW port and one read port at that size (the
// RowBits-wide clear / set masks are per port, not per SA).
module esn #(
  parameter integer Entries   = 64,  // esn_params.entries, 1 .. 65536
  parameter integer MaxWindow = 128  // esn_params.max_window: a multiple of 32, 32 .. 1024
) (
  input  wire        clk_i,
  input  wire        rst_ni,        // device reset (esn_reset): every SA free, every row clear
  // ---- esn_rx_check(idx, seql, &seq) ----
  input  wire        chk_valid_i,
  input  wire [31:0] chk_idx_i,
  input  wire [31:0] chk_seql_i,
  output reg         chk_valid_o,
  output reg  [2:0]  chk_status_o,  // enum esn_status, or 3 (-EINVAL)
  output reg  [63:0] chk_seq_o,     // *seq (also when not OK); 0 on -EINVAL
  // ---- esn_rx_seq_hi(idx, seql, &seqh) ----
  input  wire        hi_valid_i,
  input  wire [31:0] hi_idx_i,
  input  wire [31:0] hi_seql_i,
  output reg         hi_valid_o,
  output reg  [2:0]  hi_status_o,   // 0, 5 (-ERANGE) or 3 (-EINVAL)
  output reg  [31:0] hi_seqh_o,     // *seqh; 0 on -EINVAL
  // ---- esn_get(idx) ----
  input  wire [31:0] get_idx_i,
  output reg  [1:0]  get_kind_o,    // struct esn_sa.kind (0 FREE 1 TX 2 RX_PACKET 3 RX_CRYPTO)
  output reg         get_esn_o,     // .esn
  output reg  [31:0] get_window_o,  // .window
  output reg  [63:0] get_sn_o,      // .sn
  // its bitmap row, RowBits wide (bit b: SN b mod RowBits); the width is RowBits written out,
  // because a port list cannot name a localparam of the body
  output reg  [(MaxWindow <= 32 ? 32 : (1 << $clog2(MaxWindow)))-1:0] get_row_o,
  // ---- state changes ----
  input  wire        cmd_valid_i,
  input  wire [3:0]  cmd_op_i,      // Op* below
  input  wire [31:0] cmd_idx_i,
  input  wire        cmd_esn_i,     // configure: the esn argument
  input  wire [31:0] cmd_window_i,  // configure RX: the window argument
  input  wire [63:0] cmd_arg_i,     // RX update: seq; TX set: last; RX set: top;
                                    // RX advance: {seq_hi, bottom}
  output reg         done_o,        // a command finished (one cycle)
  output reg  [2:0]  status_o,      // its return value (codes above)
  output reg  [63:0] sn_o           // TX next: *sn (0 otherwise)
);

  localparam [3:0] OpCfgTx = 4'd0, OpCfgRxPacket = 4'd1, OpCfgRxCrypto = 4'd2, OpClear = 4'd3,
                   OpTxNext = 4'd4, OpRxUpdate = 4'd5, OpTxSet = 4'd6, OpRxSet = 4'd7,
                   OpRxAdvance = 4'd8; // 9..15: reserved, -EINVAL, no change
  localparam [1:0] KindFree = 2'd0, KindTx = 2'd1, KindRxPacket = 2'd2, KindRxCrypto = 2'd3;
  localparam [2:0] StOk = 3'd0, StReplay = 3'd1, StTooOld = 3'd2, StInval = 3'd3,
                   StOverflow = 3'd4, StRange = 3'd5;
  localparam integer RowBits = MaxWindow <= 32 ? 32 : (1 << $clog2(MaxWindow));
  localparam integer RowW    = $clog2(RowBits);                  // bit index width
  localparam integer IdxW    = Entries > 1 ? $clog2(Entries) : 1; // SA index width

  // ---- state (struct esn_sa and the bitmap) ---------------------------------------------------
  reg [63:0]        sn_q     [0:Entries-1];
  reg [31:0]        window_q [0:Entries-1];
  reg [1:0]         kind_q   [0:Entries-1];
  reg               esn_q    [0:Entries-1];
  reg [RowBits-1:0] row_q    [0:Entries-1];

  // ---- pure core ------------------------------------------------------------------------------
  // esn_infer_hi(): {erange, seqh} of RFC 4303 A2.2 for window top `top`, size `window`.
  function [32:0] infer_hi;
    input [63:0] top;
    input [31:0] window;
    input [31:0] seql;
    reg   [31:0] th, tl, bl;
    begin
      th = top[63:32];
      tl = top[31:0];
      bl = tl - window + 32'd1; // Bl = Tl - W + 1 modulo 2^32
      if (tl >= window - 32'd1) begin // case A: the window lies in subspace Th
        if (seql >= bl) infer_hi = {1'b0, th};
        else            infer_hi = {th == 32'hffffffff, th + 32'd1};
      end else begin                  // case B: it spans Th - 1 (from Bl) and Th
        if (seql >= bl) infer_hi = {th == 32'd0, th - 32'd1};
        else            infer_hi = {1'b0, th};
      end
    end
  endfunction

  // classify(): the place of a full SN relative to the window [T - W + 1, T]; seen = its bit.
  function [2:0] classify;
    input [63:0] seq;
    input [63:0] top;
    input [31:0] window;
    input        seen;
    begin
      if (seq == 64'd0)                           classify = StTooOld; // SN 0 is never sent
      else if (seq > top)                         classify = StOk;     // right of the window
      else if (top - seq >= {32'd0, window})      classify = StTooOld;
      else                                        classify = seen ? StReplay : StOk;
    end
  endfunction

  // ---- check port -----------------------------------------------------------------------------
  wire               chk_in = chk_idx_i < Entries;
  wire [IdxW-1:0]    ck = chk_idx_i[IdxW-1:0];
  wire [63:0]        ck_sn  = chk_in ? sn_q[ck] : 64'd0;
  wire [31:0]        ck_win = chk_in ? window_q[ck] : 32'd0;
  wire               ck_esn = chk_in && esn_q[ck];
  wire               ck_rxp = chk_in && kind_q[ck] == KindRxPacket;
  wire [RowBits-1:0] ck_row = chk_in ? row_q[ck] : {RowBits{1'b0}};
  wire [32:0]        ck_hi  = infer_hi(ck_sn, ck_win, chk_seql_i);
  wire [63:0]        ck_seq = ck_esn ? {ck_hi[31:0], chk_seql_i} : {32'd0, chk_seql_i};
  // seq and seql share the low RowW bits (RowW <= 10 < 32)
  wire               ck_seen = ck_row[chk_seql_i[RowW-1:0]];
  reg  [2:0]         ck_status;
  always @* begin
    if (!ck_rxp)
      ck_status = StInval;
    else if (ck_esn && ck_hi[32])
      ck_status = StTooOld; // no subspace below 0 or above 2^32-1: an old packet (docs/esn.md)
    else
      ck_status = classify(ck_seq, ck_sn, ck_win, ck_seen);
  end

  // ---- seq_hi port ----------------------------------------------------------------------------
  wire            hi_in = hi_idx_i < Entries;
  wire [IdxW-1:0] hk = hi_idx_i[IdxW-1:0];
  wire [63:0]     hk_b   = hi_in ? sn_q[hk] : 64'd0; // B = Bh:Bl
  wire            hk_esn = hi_in && esn_q[hk];
  wire            hk_rxc = hi_in && kind_q[hk] == KindRxCrypto;
  reg  [2:0]      hk_status;
  reg  [31:0]     hk_seqh;
  always @* begin
    hk_status = StOk;
    hk_seqh   = 32'd0;
    if (!hk_rxc)
      hk_status = StInval;
    else if (hk_esn) begin // esn_infer_hi_bottom(): the one SN with low half seql in [B, B+2^32)
      if (hi_seql_i >= hk_b[31:0])
        hk_seqh = hk_b[63:32];
      else begin
        hk_seqh = hk_b[63:32] + 32'd1;
        if (hk_b[63:32] == 32'hffffffff)
          hk_status = StRange;
      end
    end
  end

  // ---- get port -------------------------------------------------------------------------------
  wire            gt_in = get_idx_i < Entries;
  wire [IdxW-1:0] gk = get_idx_i[IdxW-1:0];

  // ---- command port ---------------------------------------------------------------------------
  wire               cm_in = cmd_idx_i < Entries;
  wire [IdxW-1:0]    cm = cmd_idx_i[IdxW-1:0];
  wire [63:0]        cm_sn   = cm_in ? sn_q[cm] : 64'd0;
  wire [31:0]        cm_win  = cm_in ? window_q[cm] : 32'd0;
  wire [1:0]         cm_kind = cm_in ? kind_q[cm] : KindFree;
  wire               cm_esn  = cm_in && esn_q[cm];
  wire [RowBits-1:0] cm_row  = cm_in ? row_q[cm] : {RowBits{1'b0}};
  wire               cm_free = cm_in && cm_kind == KindFree;
  // a 64-bit argument a non-ESN SA cannot hold (-EINVAL for update / tx set / rx set)
  wire               arg_wide = !cm_esn && cmd_arg_i[63:32] != 32'd0;

  // RX update: classify again, then the advance clear mask and the new bit
  wire [2:0]  up_status = classify(cmd_arg_i, cm_sn, cm_win, cm_row[cmd_arg_i[RowW-1:0]]);
  wire [63:0] up_adv    = cmd_arg_i - cm_sn;           // meaningful when seq > T
  wire        up_fwd    = cmd_arg_i > cm_sn;
  reg  [RowBits-1:0] up_row, set_row;
  reg  [RowW-1:0]    off;
  integer b;
  always @* begin
    // bit b holds an SN that enters the window iff (b - T - 1) mod RowBits < advance
    for (b = 0; b < RowBits; b = b + 1) begin
      off = b[RowW-1:0] - cm_sn[RowW-1:0] - {{(RowW-1){1'b0}}, 1'b1};
      up_row[b] = cm_row[b] && !(up_fwd && (up_adv[63:RowW] != {(64-RowW){1'b0}} ||
                                            {{(64-RowW){1'b0}}, off} < up_adv));
    end
    up_row[cmd_arg_i[RowW-1:0]] = 1'b1;
    // RX set (esn_rx_set): bit b is set iff T - k = b mod RowBits for some k < min(W, T); with
    // W <= RowBits that k is (T - b) mod RowBits
    for (b = 0; b < RowBits; b = b + 1) begin
      off = cmd_arg_i[RowW-1:0] - b[RowW-1:0];
      set_row[b] = {{(32-RowW){1'b0}}, off} < cm_win && {{(64-RowW){1'b0}}, off} < cmd_arg_i;
    end
  end

  reg               sa_we, row_we;
  reg [63:0]        sn_d;
  reg [31:0]        window_d;
  reg [1:0]         kind_d;
  reg               esn_d;
  reg [RowBits-1:0] row_d;
  reg [2:0]         status_d;
  reg [63:0]        snout_d;
  always @* begin
    sa_we    = 1'b0;
    row_we   = 1'b0;
    sn_d     = cm_sn;
    window_d = cm_win;
    kind_d   = cm_kind;
    esn_d    = cm_esn;
    row_d    = {RowBits{1'b0}};
    status_d = StOk;
    snout_d  = 64'd0;
    case (cmd_op_i)
      OpCfgTx, OpCfgRxPacket, OpCfgRxCrypto: begin
        if (cmd_op_i == OpCfgRxPacket &&
            (cmd_window_i < 32'd32 || cmd_window_i[4:0] != 5'd0 || cmd_window_i > MaxWindow))
          status_d = StInval;
        else if (cmd_op_i == OpCfgRxCrypto &&
                 (cmd_window_i == 32'd0 || cmd_window_i > 32'h80000000))
          status_d = StInval;
        else if (!cm_free)
          status_d = StInval; // out of range, or already configured
        else begin // sa_setup(): zero the SA word and the row
          sa_we    = 1'b1;
          row_we   = 1'b1;
          sn_d     = 64'd0;
          esn_d    = cmd_esn_i;
          kind_d   = cmd_op_i == OpCfgTx ? KindTx :
                     cmd_op_i == OpCfgRxPacket ? KindRxPacket : KindRxCrypto;
          window_d = cmd_op_i == OpCfgTx ? 32'd0 : cmd_window_i;
        end
      end
      OpClear: begin
        if (!cm_in)
          status_d = StInval;
        else begin
          sa_we    = 1'b1;
          row_we   = 1'b1;
          sn_d     = 64'd0;
          window_d = 32'd0;
          kind_d   = KindFree;
          esn_d    = 1'b0;
        end
      end
      OpTxNext: begin
        if (cm_kind != KindTx)
          status_d = StInval;
        else if (cm_sn == (cm_esn ? 64'hffffffffffffffff : 64'h00000000ffffffff))
          status_d = StOverflow; // s3.3.3: the counter must not cycle; nothing changes
        else begin
          sa_we   = 1'b1;
          sn_d    = cm_sn + 64'd1;
          snout_d = cm_sn + 64'd1;
        end
      end
      OpRxUpdate: begin
        if (cm_kind != KindRxPacket || arg_wide)
          status_d = StInval;
        else begin
          status_d = up_status;
          if (up_status == StOk) begin
            sa_we  = 1'b1;
            row_we = 1'b1;
            row_d  = up_row;
            if (up_fwd)
              sn_d = cmd_arg_i;
          end
        end
      end
      OpTxSet: begin
        if (cm_kind != KindTx || arg_wide)
          status_d = StInval;
        else begin
          sa_we = 1'b1;
          sn_d  = cmd_arg_i;
        end
      end
      OpRxSet: begin
        if (cm_kind != KindRxPacket || arg_wide)
          status_d = StInval;
        else begin
          sa_we  = 1'b1;
          row_we = 1'b1;
          row_d  = set_row;
          sn_d   = cmd_arg_i;
        end
      end
      OpRxAdvance: begin
        if (cm_kind != KindRxCrypto || !cm_esn)
          status_d = StInval;
        else begin
          sa_we = 1'b1;
          sn_d  = cmd_arg_i;
        end
      end
      default: status_d = StInval; // reserved op
    endcase
    if (!cmd_valid_i) begin
      sa_we  = 1'b0;
      row_we = 1'b0;
    end
  end

  // ---- registers --------------------------------------------------------------------------------
  integer k;
  always @(posedge clk_i or negedge rst_ni) begin
    if (!rst_ni) begin
      for (k = 0; k < Entries; k = k + 1) begin
        sn_q[k]     <= 64'd0;
        window_q[k] <= 32'd0;
        kind_q[k]   <= KindFree;
        esn_q[k]    <= 1'b0;
        row_q[k]    <= {RowBits{1'b0}};
      end
      chk_valid_o  <= 1'b0;
      chk_status_o <= 3'd0;
      chk_seq_o    <= 64'd0;
      hi_valid_o   <= 1'b0;
      hi_status_o  <= 3'd0;
      hi_seqh_o    <= 32'd0;
      get_kind_o   <= KindFree;
      get_esn_o    <= 1'b0;
      get_window_o <= 32'd0;
      get_sn_o     <= 64'd0;
      get_row_o    <= {RowBits{1'b0}};
      done_o       <= 1'b0;
      status_o     <= 3'd0;
      sn_o         <= 64'd0;
    end else begin
      if (sa_we) begin
        sn_q[cm]     <= sn_d;
        window_q[cm] <= window_d;
        kind_q[cm]   <= kind_d;
        esn_q[cm]    <= esn_d;
      end
      if (row_we)
        row_q[cm] <= row_d;
      done_o   <= cmd_valid_i;
      status_o <= cmd_valid_i ? status_d : 3'd0;
      sn_o     <= cmd_valid_i ? snout_d : 64'd0;
      // read ports: 0 while idle or on -EINVAL
      chk_valid_o  <= chk_valid_i;
      chk_status_o <= chk_valid_i ? ck_status : 3'd0;
      chk_seq_o    <= (chk_valid_i && ck_status != StInval) ? ck_seq : 64'd0;
      hi_valid_o   <= hi_valid_i;
      hi_status_o  <= hi_valid_i ? hk_status : 3'd0;
      hi_seqh_o    <= hi_valid_i ? hk_seqh : 32'd0;
      get_kind_o   <= gt_in ? kind_q[gk] : KindFree;
      get_esn_o    <= gt_in && esn_q[gk];
      get_window_o <= gt_in ? window_q[gk] : 32'd0;
      get_sn_o     <= gt_in ? sn_q[gk] : 64'd0;
      get_row_o    <= gt_in ? row_q[gk] : {RowBits{1'b0}};
    end
  end

endmodule
