// sa_csr.v - the SAT CSR block: the control CPU's port to the SA tables and the tables it owns,
// the RTL twin of struct sa_csr in hwmodel/sa_csr.[ch] together with nic_ctx's cam (sa_cam.v,
// RX + TX), kr_rx / kr_tx (two key_ram.v), esn_rx / esn_tx (two esn.v) and the per-SA counters
// (packets and bytes, 64 bits each, RX and TX).
//
// CSR bus (firmware/fw_hal.h rd / wr): a request (csr_req_i, csr_we_i, csr_addr_i, csr_wdata_i)
// is held until csr_ack_o, a one-cycle pulse; csr_rdata_o and csr_err_o are valid with it. The
// block takes a request in a cycle in which it is idle and not acking. Register i of
// NICSIM_REGS_SAT sits at byte address 0x1000 + 4i (regs.def order). csr_err_o: the address is
// not a SAT register or not 4-byte aligned (reads 0, writes ignored). RW registers read back;
// KEY0..8 are write-only (read 0) and zeroed after every OP; RESULT and DATA0..3 are read-only
// (writes ignored, no error, as sa_csr_write); OP reads back the last value written.
// A write to OP performs the operation (sa_csr.c do_op) and is acked when it is complete, so
// the firmware's next read of RESULT / INDEX / DATA* sees its outcome.
//
// Operations and results: exactly sa_csr.c (RESULT = 0 or minus the errno, 32-bit two's
// complement), with one difference: this RTL implements crypto offload only, so ADD of an SA
// with CFG.OFFLOAD = packet returns -EOPNOTSUPP (-95) after the field checks (decode() and
// sa_check(), which still answer -EINVAL first) and before any table is touched. Lifetime
// limits (LIFE_*) are plain RW registers here; lifetime events are C-model only.
//   ADD    validate, sa_cam add (lowest index neither installed nor HELD: the HELD bitmaps go
//          to sa_cam's rx_held_i / tx_held_i), esn configure (TX; RX crypto with WINDOW or
//          DefaultWindow when 0: a window the esn table refuses is -EINVAL), key RAM write,
//          then the restore: TX esn_tx_set(SEQ), RX ESN with SEQ != 0: esn_rx_advance(
//          esn_bottom(SEQ, window)). A failure after the CAM add unwinds the slot to FREE
//          (CAM delete, esn clear, key free, counters zero) and returns -EINVAL. INDEX = handle.
//   DELETE installed -> HELD (CAM entry removed; key, sequence state, counters stay); else
//          -ENOENT.
//   FREE   HELD -> FREE (key zeroed, esn cleared, counters zeroed); installed: -EBUSY; free or
//          out of range: -ENOENT.
//   ESN    RX only (DIR 1: -EINVAL); not installed: -ENOENT; esn_rx_advance(SEQ_HI, SEQ_LO)
//          (-EINVAL unless an ESN crypto SA).
//   STATS  DATA0/1 = packets, DATA2/3 = bytes of an installed or HELD SA (else -ENOENT, 0s).
//   RESET  every slot of both directions FREE (a loop over the entries).
//   COUNT  DATA0 = installed + HELD of DIR.        Other OP values, or DIR > 1: -EINVAL.
//
// Timing: a request is taken in a cycle t in which the block is idle and not acking (so right
// after an ack, one cycle later); csr_ack_o is high in cycle t + N:
//   register read / write N = 1; OP refused by the checks (also DIR > 1, unknown op, DELETE /
//   FREE / ESN refusals), STATS, COUNT: 2; DELETE, FREE, ESN: 3; ADD refused by the CAM: 3;
//   ADD: 4 + L (5 + L with a restore), L = key_ram write latency 51 / 59 / 67 (AES-128 / 192 /
//   256); ADD refused by the esn table (unwind): 6; RESET: 2 * max(RxEntries, TxEntries) + 3.
//
// Datapath ports (crypto_top.v): rx_* is sa_cam's RX lookup with proto 50 (latency 2), tx_* its
// TX lookup by handle (latency 2), hi_* esn_rx_seq_hi() on the RX table (latency 1), kr_* the
// combinational read port of the RX (kr_tx_i = 0) or TX key RAM, cnt_* counts one packet of
// cnt_bytes_i bytes on an installed or HELD SA (a FREE or ADD that zeroes the same SA's
// counters in that cycle wins). The datapath sees ADD and RESET as atomic (the C model performs
// them at once): RX / TX lookups requested while an ADD runs miss its slot until the ack (the
// CAM entry exists before the key and esn state are written), and lookups requested from the
// RESET loop's first cycle on miss every slot (the loop deletes one entry per cycle). DELETE
// and FREE change their tables in one cycle anyway.
//
// Register offsets, op and error codes, SAT.CFG fields come from the generated register package
// (rtl/nicsim_pkg.sv, `build/bin/regs_gen --verilog` of hwmodel/include/nicsim/regs.def; a
// unit test checks it is current), the one source the C model and the firmware use too.
module sa_csr #(
  parameter integer RxEntries     = 64,  // RX SA slots (CAM, key RAM, esn, counters)
  parameter integer TxEntries     = 64,  // TX SA slots
  parameter integer MaxWindow     = 128, // RX esn bitmap width (esn.v MaxWindow)
  parameter integer DefaultWindow = 64   // params.def replay_window: WINDOW = 0 means this
) (
  input  wire                  clk_i,
  input  wire                  rst_ni,
  // ---- CSR bus of the control CPU ----
  input  wire                  csr_req_i,
  input  wire                  csr_we_i,
  input  wire [31:0]           csr_addr_i,
  input  wire [31:0]           csr_wdata_i,
  output wire                  csr_ack_o,
  output wire [31:0]           csr_rdata_o,
  output wire                  csr_err_o,
  // ---- RX lookup (sa_cam, proto 50) ----
  input  wire                  rx_req_valid_i,
  input  wire [31:0]           rx_req_spi_i,
  input  wire                  rx_req_v6_i,
  input  wire [127:0]          rx_req_daddr_i,
  output wire                  rx_rsp_valid_o,
  output wire                  rx_rsp_hit_o,
  output wire [15:0]           rx_rsp_idx_o,
  output wire [7:0]            rx_rsp_mode_o,
  output wire [7:0]            rx_rsp_offload_o,
  output wire [7:0]            rx_rsp_icv_len_o,
  output wire [7:0]            rx_rsp_flags_o,
  // ---- TX lookup by handle ----
  input  wire                  tx_req_valid_i,
  input  wire [15:0]           tx_req_idx_i,
  output wire                  tx_rsp_valid_o,
  output wire                  tx_rsp_hit_o,
  output wire [31:0]           tx_rsp_spi_o,
  output wire [7:0]            tx_rsp_mode_o,
  output wire [7:0]            tx_rsp_offload_o,
  output wire [7:0]            tx_rsp_icv_len_o,
  output wire [7:0]            tx_rsp_flags_o,
  // ---- esn_rx_seq_hi on the RX table ----
  input  wire                  hi_req_valid_i,
  input  wire [15:0]           hi_req_idx_i,
  input  wire [31:0]           hi_req_seql_i,
  output wire                  hi_rsp_valid_o,
  output wire [31:0]           hi_rsp_seqh_o,
  // ---- key RAM read port (gcm_engine) ----
  input  wire                  kr_tx_i,
  input  wire [31:0]           kr_slot_i,
  output wire                  kr_valid_o,
  output wire [15*128-1:0]     kr_ks_o,
  output wire [3:0]            kr_nr_o,
  output wire [127:0]          kr_h_o,
  output wire [31:0]           kr_salt_o,
  // ---- per-SA counters ----
  input  wire                  cnt_valid_i,
  input  wire                  cnt_tx_i,
  input  wire [15:0]           cnt_idx_i,
  input  wire [15:0]           cnt_bytes_i
);

  // ---- numbers: the generated register package (rtl/nicsim_pkg.sv, from regs.def) -----------
  import nicsim_pkg::*;
  // register index i of the SAT block sits at SAT_BASE + 4i
  function automatic [5:0] reg_idx(input [31:0] offset);
    reg_idx = 6'((offset - SAT_BASE) >> 2);
  endfunction
  localparam integer NRegs   = (SAT_DATA3_OFFSET - SAT_BASE) / 4 + 1;
  localparam [5:0] RegDir = reg_idx(SAT_DIR_OFFSET), RegIndex = reg_idx(SAT_INDEX_OFFSET),
                   RegCfg = reg_idx(SAT_CFG_OFFSET), RegSpi = reg_idx(SAT_SPI_OFFSET),
                   RegAddr0 = reg_idx(SAT_ADDR0_OFFSET), RegWindow = reg_idx(SAT_WINDOW_OFFSET),
                   RegSeqLo = reg_idx(SAT_SEQ_LO_OFFSET), RegSeqHi = reg_idx(SAT_SEQ_HI_OFFSET),
                   RegKey0 = reg_idx(SAT_KEY0_OFFSET), RegKey8 = reg_idx(SAT_KEY8_OFFSET),
                   RegOp = reg_idx(SAT_OP_OFFSET), RegResult = reg_idx(SAT_RESULT_OFFSET),
                   RegData0 = reg_idx(SAT_DATA0_OFFSET), RegData3 = reg_idx(SAT_DATA3_OFFSET);
  // ADDR0..7, KEY0..8 and DATA0..3 are runs of consecutive registers (regs.def)
  localparam [31:0] OpAdd = SAT_OP_ADD, OpDelete = SAT_OP_DELETE, OpFree = SAT_OP_FREE,
                    OpEsn = SAT_OP_ESN, OpStats = SAT_OP_STATS, OpReset = SAT_OP_RESET,
                    OpCount = SAT_OP_COUNT;
  localparam [31:0] EInval = MBOX_CODE_EINVAL, ENoSpc = MBOX_CODE_ENOSPC,
                    EExist = MBOX_CODE_EEXIST, ENoEnt = MBOX_CODE_ENOENT, EBusy = MBOX_CODE_EBUSY,
                    EOpNotSupp = MBOX_CODE_EOPNOTSUPP;
  // SAT.CFG fields
  localparam [31:0] MModeMask = 32'(((1 << SAT_CFG_MODE_WIDTH) - 1) << SAT_CFG_MODE_LSB),
                    MOffMask  = 32'(((1 << SAT_CFG_OFFLOAD_WIDTH) - 1) << SAT_CFG_OFFLOAD_LSB),
                    MEsnMask  = 32'(((1 << SAT_CFG_ESN_WIDTH) - 1) << SAT_CFG_ESN_LSB),
                    MV6Mask   = 32'(((1 << SAT_CFG_V6_WIDTH) - 1) << SAT_CFG_V6_LSB),
                    MIcvMask  = 32'(((1 << SAT_CFG_ICV_LEN_WIDTH) - 1) << SAT_CFG_ICV_LEN_LSB),
                    MKmMask   = 32'(((1 << SAT_CFG_KEYMAT_LEN_WIDTH) - 1) << SAT_CFG_KEYMAT_LEN_LSB);
  localparam [31:0] CfgKnown  = MModeMask | MOffMask | MEsnMask | MV6Mask | MIcvMask | MKmMask;

  // ---- sub-block codes (sa_cam.v, esn.v) ------------------------------------------------------
  localparam [1:0] CamRxAdd = 2'd0, CamRxDel = 2'd1, CamTxAdd = 2'd2, CamTxDel = 2'd3;
  localparam [2:0] CamOk = 3'd0, CamExist = 3'd2, CamNoSpc = 3'd3; // 1 -EINVAL, 4 -ENOENT
  localparam [3:0] EsnCfgTx = 4'd0, EsnCfgRxCrypto = 4'd2, EsnClear = 4'd3, EsnTxSet = 4'd6,
                   EsnRxAdvance = 4'd8;
  localparam [7:0] ProtoEsp = 8'd50;

  localparam integer RxIdxW = RxEntries > 1 ? $clog2(RxEntries) : 1;
  localparam integer TxIdxW = TxEntries > 1 ? $clog2(TxEntries) : 1;
  localparam integer MaxEntries = RxEntries > TxEntries ? RxEntries : TxEntries;
  localparam integer TxRowBits = 32; // esn_tx: MaxWindow 32 (TX has no window: smallest row)
  localparam integer RxRowBits = MaxWindow <= 32 ? 32 : (1 << $clog2(MaxWindow));

  // ---- FSM ------------------------------------------------------------------------------------
  localparam [3:0] StIdle = 4'd0, StStart = 4'd1, StAddCam = 4'd2, StAddEsn = 4'd3,
                   StAddKey = 4'd4, StAddRest = 4'd5, StUnwind = 4'd6, StUnwindWait = 4'd7,
                   StDel = 4'd8, StFree = 4'd9, StEsn = 4'd10, StRst = 4'd11, StRstWait = 4'd12;

  reg [3:0]           state_q, state_d;
  reg                 ack_q, ack_d;
  reg [31:0]          rdata_q, rdata_d;
  reg                 err_q, err_d;
  reg [15:0]          idx_q, idx_d;     // the slot of the ADD in progress
  reg [16:0]          rst_i_q, rst_i_d; // RESET loop index
  reg                 rst_ph_q, rst_ph_d; // RESET loop: 0 RX step, 1 TX step
  wire [31:0]         rst_i32 = {15'd0, rst_i_q};

  reg [31:0]          reg_q [0:NRegs-1];
  reg [RxEntries-1:0] rx_inst_q, rx_held_q; // slot states (INSTALLED, HELD) per direction
  reg [TxEntries-1:0] tx_inst_q, tx_held_q;
  reg [63:0]          rx_pk_q [0:RxEntries-1];
  reg [63:0]          rx_by_q [0:RxEntries-1];
  reg [63:0]          tx_pk_q [0:TxEntries-1];
  reg [63:0]          tx_by_q [0:TxEntries-1];

  // ---- the registers as the operations read them ----------------------------------------------
  wire [31:0]  r_dir    = reg_q[RegDir];
  wire [31:0]  r_index  = reg_q[RegIndex];
  wire [31:0]  r_cfg    = reg_q[RegCfg];
  wire [31:0]  r_spi    = reg_q[RegSpi];
  wire [31:0]  r_window = reg_q[RegWindow];
  wire [31:0]  r_op     = reg_q[RegOp];
  wire [63:0]  r_seq    = {reg_q[RegSeqHi], reg_q[RegSeqLo]};
  wire [127:0] r_addr_a = {reg_q[RegAddr0], reg_q[RegAddr0 + 6'd1], reg_q[RegAddr0 + 6'd2],
                           reg_q[RegAddr0 + 6'd3]};
  wire [127:0] r_addr_b = {reg_q[RegAddr0 + 6'd4], reg_q[RegAddr0 + 6'd5],
                           reg_q[RegAddr0 + 6'd6], reg_q[RegAddr0 + 6'd7]};
  wire [287:0] r_keymat = {reg_q[RegKey0], reg_q[RegKey0 + 6'd1], reg_q[RegKey0 + 6'd2],
                           reg_q[RegKey0 + 6'd3], reg_q[RegKey0 + 6'd4], reg_q[RegKey0 + 6'd5],
                           reg_q[RegKey0 + 6'd6], reg_q[RegKey0 + 6'd7], reg_q[RegKey8]};
  wire         c_mode    = (r_cfg & MModeMask) != 32'd0;
  wire         c_offload = (r_cfg & MOffMask) != 32'd0;
  wire         c_esn     = (r_cfg & MEsnMask) != 32'd0;
  wire         c_v6      = (r_cfg & MV6Mask) != 32'd0;
  wire [31:0]  c_icv32   = (r_cfg & MIcvMask) >> SAT_CFG_ICV_LEN_LSB;
  wire [31:0]  c_km32    = (r_cfg & MKmMask) >> SAT_CFG_KEYMAT_LEN_LSB;
  wire [4:0]   c_icv     = c_icv32[4:0];    // 8 / 12 / 16 when add_bad = 0
  wire [5:0]   c_keymat  = c_km32[5:0];     // 20 / 28 / 36 when add_bad = 0

  // decode() + sa_check(): every -EINVAL an ADD can get before a table is asked
  wire add_bad = r_dir > 32'd1 || (r_cfg & ~CfgKnown) != 32'd0 ||
                 (c_icv32 != 32'd8 && c_icv32 != 32'd12 && c_icv32 != 32'd16) ||
                 (c_km32 != 32'd20 && c_km32 != 32'd28 && c_km32 != 32'd36) ||
                 r_spi == 32'd0 || (!c_esn && r_seq[63:32] != 32'd0);
  // RX window: 0 = the device default; esn_bottom(seq, w) for the crypto ESN restore
  wire [31:0] win    = r_window != 32'd0 ? r_window : DefaultWindow;
  wire [63:0] win_m1 = {32'd0, win - 32'd1};
  wire [63:0] bottom = r_seq >= win_m1 ? r_seq - win_m1 : 64'd0;

  // the slot INDEX names in direction DIR (DIR > 1 is refused before any of this is used)
  wire          op_tx   = r_dir[0];
  wire          idx_oor = op_tx ? r_index >= TxEntries : r_index >= RxEntries;
  wire [RxIdxW-1:0] ri  = r_index[RxIdxW-1:0];
  wire [TxIdxW-1:0] ti  = r_index[TxIdxW-1:0];
  wire          s_inst  = !idx_oor && (op_tx ? tx_inst_q[ti] : rx_inst_q[ri]);
  wire          s_held  = !idx_oor && (op_tx ? tx_held_q[ti] : rx_held_q[ri]);
  wire [63:0]   s_pk    = op_tx ? tx_pk_q[ti] : rx_pk_q[ri];
  wire [63:0]   s_by    = op_tx ? tx_by_q[ti] : rx_by_q[ri];

  // ---- sub-blocks ---------------------------------------------------------------------------
  reg          cam_valid;
  reg [1:0]    cam_op;
  reg [31:0]   cam_idx;
  wire         cam_done;
  wire [2:0]   cam_status;
  wire [15:0]  cam_index;
  wire [16:0]  cam_rx_count, cam_tx_count;
  wire [127:0] cam_tx_saddr_unused, cam_tx_daddr_unused;
  wire         cam_rx_hit, cam_tx_hit;
  wire [15:0]  cam_rx_idx;
  wire [31:0]  cam_tx_spi;
  wire [7:0]   cam_rx_mode, cam_rx_offload, cam_rx_icv_len, cam_rx_flags;
  wire [7:0]   cam_tx_mode, cam_tx_offload, cam_tx_icv_len, cam_tx_flags;

  sa_cam #(.RxEntries(RxEntries), .TxEntries(TxEntries)) u_cam (
    .clk_i, .rst_ni,
    .rx_req_valid_i, .rx_req_spi_i, .rx_req_proto_i(ProtoEsp), .rx_req_v6_i, .rx_req_daddr_i,
    .rx_rsp_valid_o, .rx_rsp_hit_o(cam_rx_hit), .rx_rsp_idx_o(cam_rx_idx),
    .rx_rsp_mode_o(cam_rx_mode), .rx_rsp_offload_o(cam_rx_offload),
    .rx_rsp_icv_len_o(cam_rx_icv_len), .rx_rsp_flags_o(cam_rx_flags),
    .tx_req_valid_i, .tx_req_idx_i({16'd0, tx_req_idx_i}),
    .tx_rsp_valid_o, .tx_rsp_hit_o(cam_tx_hit), .tx_rsp_spi_o(cam_tx_spi),
    .tx_rsp_mode_o(cam_tx_mode), .tx_rsp_offload_o(cam_tx_offload),
    .tx_rsp_icv_len_o(cam_tx_icv_len), .tx_rsp_flags_o(cam_tx_flags),
    .tx_rsp_saddr_o(cam_tx_saddr_unused), .tx_rsp_daddr_o(cam_tx_daddr_unused),
    .cmd_valid_i(cam_valid), .cmd_op_i(cam_op), .cmd_idx_i(cam_idx), .cmd_spi_i(r_spi),
    .cmd_proto_i(ProtoEsp), .cmd_v6_i({7'd0, c_v6}),
    // RX add: the key's daddr; TX add: outer_daddr (ADDR4..7) and outer_saddr (ADDR0..3)
    .cmd_daddr_i(op_tx ? r_addr_b : r_addr_a), .cmd_saddr_i(r_addr_a),
    .cmd_mode_i({7'd0, c_mode}), .cmd_offload_i({7'd0, c_offload}), .cmd_icv_len_i({3'd0, c_icv}),
    // SA_CFG_ESN, and SA_CFG_OUTER_V6 for TX only (add_rx clears it)
    .cmd_flags_i({6'd0, op_tx & c_v6, c_esn}),
    .rx_held_i(rx_held_q), .tx_held_i(tx_held_q),
    .done_o(cam_done), .status_o(cam_status), .index_o(cam_index),
    .rx_count_o(cam_rx_count), .tx_count_o(cam_tx_count)
  );

  // esn tables: commands from the FSM (RX and TX each), hi port on RX, check/get unused
  reg          erx_valid, etx_valid;
  reg [3:0]    erx_op, etx_op;
  reg [31:0]   erx_idx, etx_idx;
  reg [63:0]   erx_arg;
  wire         erx_done, etx_done;
  wire [2:0]   erx_status, etx_status;
  wire [2:0]   erx_hi_status_unused;
  wire         erx_chk_valid_unused, etx_chk_valid_unused, etx_hi_valid_unused;
  wire [2:0]   erx_chk_status_unused, etx_chk_status_unused, etx_hi_status_unused;
  wire [63:0]  erx_chk_seq_unused, etx_chk_seq_unused, erx_sn_unused, etx_sn_unused;
  wire [31:0]  etx_hi_seqh_unused;
  wire [1:0]   erx_get_kind_unused, etx_get_kind_unused;
  wire         erx_get_esn_unused, etx_get_esn_unused;
  wire [31:0]  erx_get_window_unused, etx_get_window_unused;
  wire [63:0]  erx_get_sn_unused, etx_get_sn_unused;
  wire [RxRowBits-1:0] erx_get_row_unused;
  wire [TxRowBits-1:0] etx_get_row_unused;

  esn #(.Entries(RxEntries), .MaxWindow(MaxWindow)) u_esn_rx (
    .clk_i, .rst_ni,
    .chk_valid_i(1'b0), .chk_idx_i(32'd0), .chk_seql_i(32'd0),
    .chk_valid_o(erx_chk_valid_unused), .chk_status_o(erx_chk_status_unused),
    .chk_seq_o(erx_chk_seq_unused),
    .hi_valid_i(hi_req_valid_i), .hi_idx_i({16'd0, hi_req_idx_i}), .hi_seql_i(hi_req_seql_i),
    .hi_valid_o(hi_rsp_valid_o), .hi_status_o(erx_hi_status_unused), .hi_seqh_o(hi_rsp_seqh_o),
    .get_idx_i(32'd0), .get_kind_o(erx_get_kind_unused), .get_esn_o(erx_get_esn_unused),
    .get_window_o(erx_get_window_unused), .get_sn_o(erx_get_sn_unused),
    .get_row_o(erx_get_row_unused),
    .cmd_valid_i(erx_valid), .cmd_op_i(erx_op), .cmd_idx_i(erx_idx), .cmd_esn_i(c_esn),
    .cmd_window_i(win), .cmd_arg_i(erx_arg),
    .done_o(erx_done), .status_o(erx_status), .sn_o(erx_sn_unused)
  );

  esn #(.Entries(TxEntries), .MaxWindow(32)) u_esn_tx (
    .clk_i, .rst_ni,
    .chk_valid_i(1'b0), .chk_idx_i(32'd0), .chk_seql_i(32'd0),
    .chk_valid_o(etx_chk_valid_unused), .chk_status_o(etx_chk_status_unused),
    .chk_seq_o(etx_chk_seq_unused),
    .hi_valid_i(1'b0), .hi_idx_i(32'd0), .hi_seql_i(32'd0),
    .hi_valid_o(etx_hi_valid_unused), .hi_status_o(etx_hi_status_unused),
    .hi_seqh_o(etx_hi_seqh_unused),
    .get_idx_i(32'd0), .get_kind_o(etx_get_kind_unused), .get_esn_o(etx_get_esn_unused),
    .get_window_o(etx_get_window_unused), .get_sn_o(etx_get_sn_unused),
    .get_row_o(etx_get_row_unused),
    .cmd_valid_i(etx_valid), .cmd_op_i(etx_op), .cmd_idx_i(etx_idx), .cmd_esn_i(c_esn),
    .cmd_window_i(32'd0), .cmd_arg_i(r_seq),
    .done_o(etx_done), .status_o(etx_status), .sn_o(etx_sn_unused)
  );

  // key RAMs: write / free from the FSM, read port muxed by kr_tx_i
  reg          krx_wr, ktx_wr, krx_free, ktx_free;
  reg [31:0]   kr_wslot;
  wire         krx_busy, ktx_busy, krx_done, ktx_done, krx_err, ktx_err;
  wire         krx_valid, ktx_valid;
  wire [15*128-1:0] krx_ks, ktx_ks;
  wire [3:0]   krx_nr, ktx_nr;
  wire [127:0] krx_h, ktx_h;
  wire [31:0]  krx_salt, ktx_salt;

  key_ram #(.Slots(RxEntries), .SlotWidth(32), .NrMax(14)) u_kr_rx (
    .clk_i, .rst_ni,
    .wr_i(krx_wr), .wr_slot_i(kr_wslot), .wr_keymat_i(r_keymat), .wr_len_i(c_keymat),
    .free_i(krx_free), .free_slot_i(kr_wslot), .busy_o(krx_busy), .done_o(krx_done),
    .err_o(krx_err),
    .rd_slot_i(kr_slot_i), .rd_valid_o(krx_valid), .rd_ks_o(krx_ks), .rd_nr_o(krx_nr),
    .rd_h_o(krx_h), .rd_salt_o(krx_salt)
  );

  key_ram #(.Slots(TxEntries), .SlotWidth(32), .NrMax(14)) u_kr_tx (
    .clk_i, .rst_ni,
    .wr_i(ktx_wr), .wr_slot_i(kr_wslot), .wr_keymat_i(r_keymat), .wr_len_i(c_keymat),
    .free_i(ktx_free), .free_slot_i(kr_wslot), .busy_o(ktx_busy), .done_o(ktx_done),
    .err_o(ktx_err),
    .rd_slot_i(kr_slot_i), .rd_valid_o(ktx_valid), .rd_ks_o(ktx_ks), .rd_nr_o(ktx_nr),
    .rd_h_o(ktx_h), .rd_salt_o(ktx_salt)
  );

  assign kr_valid_o = kr_tx_i ? ktx_valid : krx_valid;
  assign kr_ks_o    = kr_tx_i ? ktx_ks : krx_ks;
  assign kr_nr_o    = kr_tx_i ? ktx_nr : krx_nr;
  assign kr_h_o     = kr_tx_i ? ktx_h : krx_h;
  assign kr_salt_o  = kr_tx_i ? ktx_salt : krx_salt;

  // the write / free of this direction's key RAM finished (one of them is asked at a time)
  wire kr_done = op_tx ? ktx_done : krx_done;
  wire kr_err  = op_tx ? ktx_err : krx_err;

  // ---- COUNT: installed (sa_cam's count) + held --------------------------------------------
  reg [16:0] rx_nheld, tx_nheld;
  integer c;
  always @* begin
    rx_nheld = 17'd0;
    for (c = 0; c < RxEntries; c = c + 1)
      rx_nheld = rx_nheld + {16'd0, rx_held_q[c]};
    tx_nheld = 17'd0;
    for (c = 0; c < TxEntries; c = c + 1)
      tx_nheld = tx_nheld + {16'd0, tx_held_q[c]};
  end
  wire [16:0] count = op_tx ? cam_tx_count + tx_nheld : cam_rx_count + rx_nheld;

  // ---- bus decode ---------------------------------------------------------------------------
  wire [31:0] bus_off  = csr_addr_i - SAT_BASE;
  wire        bus_hit  = csr_addr_i >= SAT_BASE && bus_off < 4 * NRegs && csr_addr_i[1:0] == 2'd0;
  wire [5:0]  bus_reg  = bus_off[7:2];
  wire        bus_key  = bus_reg >= RegKey0 && bus_reg <= RegKey8;
  wire        bus_ro   = bus_reg >= RegResult && bus_reg <= RegData3;
  wire        bus_take = state_q == StIdle && !ack_q && csr_req_i;

  // ---- next state and sub-block commands ----------------------------------------------------
  reg        reg_we;          // bus write of reg_q[bus_reg]
  reg        fin;             // the OP finishes: RESULT, KEY scrub, ack
  reg [31:0] fin_code;        // its errno (positive; 0 = OK)
  reg        fin_index;       // ADD: INDEX = idx_q
  reg [3:0]  fin_data_we;     // DATA0..3
  reg [63:0] fin_pk, fin_by;
  reg        set_inst, clr_inst, set_held, clr_held; // slot state of (op_tx, sl_idx)
  reg [15:0] sl_idx;
  reg        zero_cnt;        // zero the counters of (op_tx, sl_idx)
  reg        clr_all;         // RESET: every slot FREE, every counter zero

  always @* begin
    state_d   = state_q;
    ack_d     = 1'b0;
    rdata_d   = 32'd0;
    err_d     = 1'b0;
    idx_d     = idx_q;
    rst_i_d   = rst_i_q;
    rst_ph_d  = rst_ph_q;
    reg_we    = 1'b0;
    fin       = 1'b0;
    fin_code  = 32'd0;
    fin_index = 1'b0;
    fin_data_we = 4'd0;
    fin_pk    = 64'd0;
    fin_by    = 64'd0;
    set_inst  = 1'b0;
    clr_inst  = 1'b0;
    set_held  = 1'b0;
    clr_held  = 1'b0;
    sl_idx    = r_index[15:0];
    zero_cnt  = 1'b0;
    clr_all   = 1'b0;
    cam_valid = 1'b0;
    cam_op    = op_tx ? CamTxAdd : CamRxAdd;
    cam_idx   = r_index;
    erx_valid = 1'b0;
    etx_valid = 1'b0;
    erx_op    = EsnCfgRxCrypto;
    etx_op    = EsnCfgTx;
    erx_idx   = r_index;
    etx_idx   = r_index;
    erx_arg   = bottom;
    krx_wr    = 1'b0;
    ktx_wr    = 1'b0;
    krx_free  = 1'b0;
    ktx_free  = 1'b0;
    kr_wslot  = r_index;

    case (state_q)
      StIdle: begin
        if (bus_take) begin
          if (!bus_hit) begin
            ack_d = 1'b1;
            err_d = 1'b1;
          end else if (!csr_we_i) begin
            ack_d   = 1'b1;
            rdata_d = bus_key ? 32'd0 : reg_q[bus_reg];
          end else begin
            reg_we = !bus_ro;
            if (bus_reg == RegOp)
              state_d = StStart; // acked when the operation is done
            else
              ack_d = 1'b1;
          end
        end
      end

      StStart: begin
        fin = 1'b1;
        if (r_op != OpAdd && r_dir > 32'd1)
          fin_code = EInval;
        else begin
          case (r_op)
            OpAdd: begin
              if (add_bad)
                fin_code = EInval;
              else if (c_offload)
                fin_code = EOpNotSupp; // crypto offload only (header comment)
              else begin
                fin       = 1'b0;
                cam_valid = 1'b1;
                cam_op    = op_tx ? CamTxAdd : CamRxAdd;
                state_d   = StAddCam;
              end
            end
            OpDelete: begin
              if (!s_inst)
                fin_code = ENoEnt;
              else begin
                fin       = 1'b0;
                cam_valid = 1'b1;
                cam_op    = op_tx ? CamTxDel : CamRxDel;
                state_d   = StDel;
              end
            end
            OpFree: begin
              if (idx_oor)
                fin_code = ENoEnt;
              else if (s_inst)
                fin_code = EBusy;
              else if (!s_held)
                fin_code = ENoEnt;
              else begin
                fin       = 1'b0;
                krx_free  = !op_tx;
                ktx_free  = op_tx;
                erx_valid = !op_tx;
                etx_valid = op_tx;
                erx_op    = EsnClear;
                etx_op    = EsnClear;
                zero_cnt  = 1'b1;
                clr_held  = 1'b1;
                state_d   = StFree;
              end
            end
            OpEsn: begin
              if (op_tx)
                fin_code = EInval;
              else if (!s_inst)
                fin_code = ENoEnt;
              else begin
                fin       = 1'b0;
                erx_valid = 1'b1;
                erx_op    = EsnRxAdvance;
                erx_arg   = r_seq;
                state_d   = StEsn;
              end
            end
            OpStats: begin
              fin_data_we = 4'hf;
              if (s_inst || s_held) begin
                fin_pk = s_pk;
                fin_by = s_by;
              end else
                fin_code = ENoEnt;
            end
            OpReset: begin
              fin      = 1'b0;
              clr_all  = 1'b1;
              rst_i_d  = 17'd0;
              rst_ph_d = 1'b0;
              state_d  = StRst;
            end
            OpCount: begin
              fin_data_we = 4'h1;
              fin_pk      = {47'd0, count};
            end
            default: fin_code = EInval;
          endcase
        end
      end

      StAddCam: if (cam_done) begin
        if (cam_status != CamOk) begin
          fin      = 1'b1;
          fin_code = cam_status == CamExist ? EExist : cam_status == CamNoSpc ? ENoSpc : EInval;
        end else begin
          idx_d     = cam_index;
          sl_idx    = cam_index;
          set_inst  = 1'b1;
          erx_valid = !op_tx;
          etx_valid = op_tx;
          erx_op    = EsnCfgRxCrypto;
          etx_op    = EsnCfgTx;
          erx_idx   = {16'd0, cam_index};
          etx_idx   = {16'd0, cam_index};
          state_d   = StAddEsn;
        end
      end

      StAddEsn: if (op_tx ? etx_done : erx_done) begin
        kr_wslot = {16'd0, idx_q};
        if ((op_tx ? etx_status : erx_status) != 3'd0)
          state_d = StUnwind;
        else begin
          krx_wr  = !op_tx;
          ktx_wr  = op_tx;
          state_d = StAddKey;
        end
      end

      StAddKey: if (kr_done) begin
        erx_idx = {16'd0, idx_q};
        etx_idx = {16'd0, idx_q};
        if (kr_err)
          state_d = StUnwind;
        else if (op_tx) begin
          etx_valid = 1'b1;       // esn_tx_set(seq): the next packet gets seq + 1
          etx_op    = EsnTxSet;
          state_d   = StAddRest;
        end else if (c_esn && r_seq != 64'd0) begin
          erx_valid = 1'b1;       // esn_rx_advance(esn_bottom(seq, w))
          erx_op    = EsnRxAdvance;
          erx_arg   = bottom;
          state_d   = StAddRest;
        end else begin
          fin       = 1'b1;
          fin_index = 1'b1;
          zero_cnt  = 1'b1;
          sl_idx    = idx_q;
          state_d   = StIdle;
        end
      end

      StAddRest: if (op_tx ? etx_done : erx_done) begin
        fin       = 1'b1;         // the restore's status is ignored, as in add_tx / add_rx
        fin_index = 1'b1;
        zero_cnt  = 1'b1;
        sl_idx    = idx_q;
      end

      StUnwind: begin             // the slot straight back to FREE
        cam_valid = 1'b1;
        cam_op    = op_tx ? CamTxDel : CamRxDel;
        cam_idx   = {16'd0, idx_q};
        erx_valid = !op_tx;
        etx_valid = op_tx;
        erx_op    = EsnClear;
        etx_op    = EsnClear;
        erx_idx   = {16'd0, idx_q};
        etx_idx   = {16'd0, idx_q};
        krx_free  = !op_tx;
        ktx_free  = op_tx;
        kr_wslot  = {16'd0, idx_q};
        sl_idx    = idx_q;
        clr_inst  = 1'b1;
        zero_cnt  = 1'b1;
        state_d   = StUnwindWait;
      end

      StUnwindWait: if (cam_done) begin
        fin      = 1'b1;
        fin_code = EInval;
      end

      StDel: if (cam_done) begin
        fin = 1'b1;
        if (cam_status != CamOk)
          fin_code = ENoEnt;      // not reached: the installed bitmap mirrors the CAM
        else begin
          clr_inst = 1'b1;
          set_held = 1'b1;
        end
      end

      StFree: if (kr_done) fin = 1'b1;

      StEsn: if (erx_done) begin
        fin      = 1'b1;
        fin_code = erx_status != 3'd0 ? EInval : 32'd0;
      end

      StRst: begin                // one slot of one direction per cycle
        cam_valid = 1'b1;
        cam_op    = rst_ph_q ? CamTxDel : CamRxDel;
        cam_idx   = {15'd0, rst_i_q};
        erx_valid = !rst_ph_q && rst_i32 < RxEntries;
        etx_valid = rst_ph_q && rst_i32 < TxEntries;
        erx_op    = EsnClear;
        etx_op    = EsnClear;
        erx_idx   = {15'd0, rst_i_q};
        etx_idx   = {15'd0, rst_i_q};
        krx_free  = !rst_ph_q && rst_i32 < RxEntries;
        ktx_free  = rst_ph_q && rst_i32 < TxEntries;
        kr_wslot  = {15'd0, rst_i_q};
        rst_ph_d  = !rst_ph_q;
        if (rst_ph_q) begin
          rst_i_d = rst_i_q + 17'd1;
          if (rst_i32 + 32'd1 >= MaxEntries)
            state_d = StRstWait;
        end
      end

      StRstWait: fin = 1'b1;      // the last commands landed; installed and held are clear

      default: state_d = StIdle;
    endcase

    if (fin) begin
      ack_d   = 1'b1;
      state_d = StIdle;
    end
  end

  // ---- atomic ADD and RESET as the datapath sees them ----------------------------------------
  // The C model performs an operation at once; here the CAM entry of an ADD exists from the
  // cycle after the CAM command while its esn state and key are still being written, and RESET
  // deletes one entry per cycle. A lookup requested while such an operation is under way
  // therefore answers a miss for the slot being added (ADD, also while it unwinds) or for
  // every slot (RESET): the response is masked with flags that travel with the request through
  // the CAM's 2-cycle lookup.
  wire        add_pend = (state_q == StAddCam && cam_done && cam_status == CamOk) ||
                         state_q == StAddEsn || state_q == StAddKey || state_q == StAddRest ||
                         state_q == StUnwind;
  wire [15:0] pend_idx = state_q == StAddCam ? cam_index : idx_q;
  wire        rst_pend = state_q == StRst || state_q == StRstWait;
  reg         rx_pend1_q, rx_pend2_q, tx_pend1_q, tx_pend2_q; // ADD of that slot under way
  reg         rx_rst1_q, rx_rst2_q, tx_rst1_q, tx_rst2_q;     // RESET under way
  reg [15:0]  pidx1_q, pidx2_q;
  wire        rx_mask = rx_rst2_q || (rx_pend2_q && cam_rx_idx == pidx2_q);
  wire        tx_mask = tx_rst2_q || (tx_pend2_q && tx_idx2_q == pidx2_q);
  reg [15:0]  tx_idx1_q, tx_idx2_q; // the TX request's handle, along the lookup

  assign rx_rsp_hit_o     = cam_rx_hit && !rx_mask;
  assign rx_rsp_idx_o     = rx_mask ? 16'd0 : cam_rx_idx;
  assign rx_rsp_mode_o    = rx_mask ? 8'd0 : cam_rx_mode;
  assign rx_rsp_offload_o = rx_mask ? 8'd0 : cam_rx_offload;
  assign rx_rsp_icv_len_o = rx_mask ? 8'd0 : cam_rx_icv_len;
  assign rx_rsp_flags_o   = rx_mask ? 8'd0 : cam_rx_flags;
  assign tx_rsp_hit_o     = cam_tx_hit && !tx_mask;
  assign tx_rsp_spi_o     = tx_mask ? 32'd0 : cam_tx_spi;
  assign tx_rsp_mode_o    = tx_mask ? 8'd0 : cam_tx_mode;
  assign tx_rsp_offload_o = tx_mask ? 8'd0 : cam_tx_offload;
  assign tx_rsp_icv_len_o = tx_mask ? 8'd0 : cam_tx_icv_len;
  assign tx_rsp_flags_o   = tx_mask ? 8'd0 : cam_tx_flags;

  always @(posedge clk_i or negedge rst_ni) begin
    if (!rst_ni) begin
      rx_pend1_q <= 1'b0;
      rx_pend2_q <= 1'b0;
      tx_pend1_q <= 1'b0;
      tx_pend2_q <= 1'b0;
      rx_rst1_q  <= 1'b0;
      rx_rst2_q  <= 1'b0;
      tx_rst1_q  <= 1'b0;
      tx_rst2_q  <= 1'b0;
      pidx1_q    <= 16'd0;
      pidx2_q    <= 16'd0;
      tx_idx1_q  <= 16'd0;
      tx_idx2_q  <= 16'd0;
    end else begin
      rx_pend1_q <= rx_req_valid_i && add_pend && !op_tx;
      rx_pend2_q <= rx_pend1_q;
      tx_pend1_q <= tx_req_valid_i && add_pend && op_tx;
      tx_pend2_q <= tx_pend1_q;
      rx_rst1_q  <= rx_req_valid_i && rst_pend;
      rx_rst2_q  <= rx_rst1_q;
      tx_rst1_q  <= tx_req_valid_i && rst_pend;
      tx_rst2_q  <= tx_rst1_q;
      pidx1_q    <= pend_idx;
      pidx2_q    <= pidx1_q;
      tx_idx1_q  <= tx_req_idx_i;
      tx_idx2_q  <= tx_idx1_q;
    end
  end

  // ---- registers ------------------------------------------------------------------------------
  wire [RxIdxW-1:0] sl_ri = sl_idx[RxIdxW-1:0];
  wire [TxIdxW-1:0] sl_ti = sl_idx[TxIdxW-1:0];
  wire              sl_in = op_tx ? {16'd0, sl_idx} < TxEntries : {16'd0, sl_idx} < RxEntries;
  // counting: an installed or held slot of the packet's direction
  wire [RxIdxW-1:0] cn_ri = cnt_idx_i[RxIdxW-1:0];
  wire [TxIdxW-1:0] cn_ti = cnt_idx_i[TxIdxW-1:0];
  wire cnt_rx = cnt_valid_i && !cnt_tx_i && {16'd0, cnt_idx_i} < RxEntries &&
                (rx_inst_q[cn_ri] || rx_held_q[cn_ri]) &&
                !(zero_cnt && sl_in && !op_tx && sl_ri == cn_ri) && !clr_all;
  wire cnt_tx = cnt_valid_i && cnt_tx_i && {16'd0, cnt_idx_i} < TxEntries &&
                (tx_inst_q[cn_ti] || tx_held_q[cn_ti]) &&
                !(zero_cnt && sl_in && op_tx && sl_ti == cn_ti) && !clr_all;

  integer k;
  always @(posedge clk_i or negedge rst_ni) begin
    if (!rst_ni) begin
      state_q  <= StIdle;
      ack_q    <= 1'b0;
      rdata_q  <= 32'd0;
      err_q    <= 1'b0;
      idx_q    <= 16'd0;
      rst_i_q  <= 17'd0;
      rst_ph_q <= 1'b0;
      for (k = 0; k < NRegs; k = k + 1)
        reg_q[k] <= 32'd0;
      rx_inst_q <= {RxEntries{1'b0}};
      rx_held_q <= {RxEntries{1'b0}};
      tx_inst_q <= {TxEntries{1'b0}};
      tx_held_q <= {TxEntries{1'b0}};
      for (k = 0; k < RxEntries; k = k + 1) begin
        rx_pk_q[k] <= 64'd0;
        rx_by_q[k] <= 64'd0;
      end
      for (k = 0; k < TxEntries; k = k + 1) begin
        tx_pk_q[k] <= 64'd0;
        tx_by_q[k] <= 64'd0;
      end
    end else begin
      state_q  <= state_d;
      ack_q    <= ack_d;
      rdata_q  <= rdata_d;
      err_q    <= err_d;
      idx_q    <= idx_d;
      rst_i_q  <= rst_i_d;
      rst_ph_q <= rst_ph_d;

      // register file: bus writes (idle only) and the outcome of an OP (never the same cycle)
      if (reg_we)
        reg_q[bus_reg] <= csr_wdata_i;
      if (fin) begin
        reg_q[RegResult] <= 32'd0 - fin_code;
        for (k = 0; k < 9; k = k + 1)
          reg_q[k + {26'd0, RegKey0}] <= 32'd0; // KEY0..8: key material for one OP only
        if (fin_index)
          reg_q[RegIndex] <= {16'd0, idx_q};
        if (fin_data_we[0]) reg_q[RegData0]        <= fin_pk[31:0];
        if (fin_data_we[1]) reg_q[RegData0 + 6'd1] <= fin_pk[63:32];
        if (fin_data_we[2]) reg_q[RegData0 + 6'd2] <= fin_by[31:0];
        if (fin_data_we[3]) reg_q[RegData3]        <= fin_by[63:32];
      end

      // slot states
      if (clr_all) begin
        rx_inst_q <= {RxEntries{1'b0}};
        rx_held_q <= {RxEntries{1'b0}};
        tx_inst_q <= {TxEntries{1'b0}};
        tx_held_q <= {TxEntries{1'b0}};
      end else if (sl_in) begin
        if (op_tx) begin
          if (set_inst) tx_inst_q[sl_ti] <= 1'b1;
          if (clr_inst) tx_inst_q[sl_ti] <= 1'b0;
          if (set_held) tx_held_q[sl_ti] <= 1'b1;
          if (clr_held) tx_held_q[sl_ti] <= 1'b0;
        end else begin
          if (set_inst) rx_inst_q[sl_ri] <= 1'b1;
          if (clr_inst) rx_inst_q[sl_ri] <= 1'b0;
          if (set_held) rx_held_q[sl_ri] <= 1'b1;
          if (clr_held) rx_held_q[sl_ri] <= 1'b0;
        end
      end

      // counters
      if (clr_all) begin
        for (k = 0; k < RxEntries; k = k + 1) begin
          rx_pk_q[k] <= 64'd0;
          rx_by_q[k] <= 64'd0;
        end
        for (k = 0; k < TxEntries; k = k + 1) begin
          tx_pk_q[k] <= 64'd0;
          tx_by_q[k] <= 64'd0;
        end
      end else begin
        if (zero_cnt && sl_in && !op_tx) begin
          rx_pk_q[sl_ri] <= 64'd0;
          rx_by_q[sl_ri] <= 64'd0;
        end
        if (zero_cnt && sl_in && op_tx) begin
          tx_pk_q[sl_ti] <= 64'd0;
          tx_by_q[sl_ti] <= 64'd0;
        end
        if (cnt_rx) begin
          rx_pk_q[cn_ri] <= rx_pk_q[cn_ri] + 64'd1;
          rx_by_q[cn_ri] <= rx_by_q[cn_ri] + {48'd0, cnt_bytes_i};
        end
        if (cnt_tx) begin
          tx_pk_q[cn_ti] <= tx_pk_q[cn_ti] + 64'd1;
          tx_by_q[cn_ti] <= tx_by_q[cn_ti] + {48'd0, cnt_bytes_i};
        end
      end
    end
  end

  assign csr_ack_o   = ack_q;
  assign csr_rdata_o = rdata_q;
  assign csr_err_o   = err_q;

  // unused: the sub-blocks' ports this datapath (crypto offload only) does not need, the key
  // RAMs' busy (writes and frees are serialized by this FSM), the TX CAM outer addresses
  wire unused = ^{cam_tx_saddr_unused, cam_tx_daddr_unused, erx_hi_status_unused,
                  erx_chk_valid_unused, etx_chk_valid_unused, etx_hi_valid_unused,
                  erx_chk_status_unused, etx_chk_status_unused, etx_hi_status_unused,
                  erx_chk_seq_unused, etx_chk_seq_unused, erx_sn_unused, etx_sn_unused,
                  etx_hi_seqh_unused, erx_get_kind_unused, etx_get_kind_unused,
                  erx_get_esn_unused, etx_get_esn_unused, erx_get_window_unused,
                  etx_get_window_unused, erx_get_sn_unused, etx_get_sn_unused,
                  erx_get_row_unused, etx_get_row_unused, krx_busy, ktx_busy, bus_off[31:8],
                  bus_off[1:0], c_icv32[31:5], c_km32[31:6]};

endmodule
